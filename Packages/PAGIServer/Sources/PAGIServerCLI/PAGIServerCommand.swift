public import ArgumentParser
public import PAGI
import PAGIServer

/// The whole `pagi-server` command line around your own application, in one call.
///
/// ```swift
/// import PAGI
/// import PAGIServerCLI
///
/// @main
/// struct MyServer {
///     static func main() async {
///         await PAGIServerCommand.main(app: { scope, receive, send in
///             try await send(.httpResponseStart(status: 200, headers: [("content-type", "text/plain")]))
///             try await send(.httpResponseBody(.text("Hi!")))
///         })
///     }
/// }
/// ```
///
/// The program then accepts every ``PAGIServerOptions`` flag (`--port`, `--listen`, `--access-log`,
/// …) with `--help`, and exits like `pagi-server`: 0 after graceful shutdown, 64 for bad usage,
/// 1 with a one-line `Error: …` when startup fails.
public struct PAGIServerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Serve this program's PAGI application over HTTP/1.1.",
        discussion: "SIGTERM or SIGINT shuts down gracefully: stop accepting, finish in-flight requests, then exit."
    )

    /// The serving flags.
    @OptionGroup public var options: PAGIServerOptions

    /// Creates the command with default options (ArgumentParser fills them when parsing).
    public init() {}

    /// Never called for this command: ``main(app:arguments:)`` runs it with the application.
    public func run() async throws {
        throw ValidationError("PAGIServerCommand needs an application: call PAGIServerCommand.main(app:)")
    }

    /// Parses the command line, serves `app` until shutdown, and exits the process.
    /// - Parameters:
    ///   - app: The application to serve.
    ///   - arguments: The arguments to parse; `nil` for the process's own.
    public static func main(app: @escaping PAGIApp, arguments: [String]? = nil) async -> Never {
        do {
            let command = try Self.parseAsRoot(arguments)
            guard let command = command as? PAGIServerCommand else {
                // --help and --version come back as other command values; running them prints.
                var other = command
                try other.run()
                Self.exit()
            }
            try await command.options.run(app: app)
            Self.exit()
        } catch {
            Self.exit(withError: error)
        }
    }
}
