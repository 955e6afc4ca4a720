public import ArgumentParser
import PAGI
public import PAGIApps
import PAGIServerCLI

/// `pagi-server`: serves a built-in PAGI application. The flags and the run loop live in
/// PAGIServerCLI/PAGIServer; this file only picks the application.
@main
struct PAGIServerTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pagi-server",
        abstract: "Serve PAGI applications over HTTP/1.1, WebSocket and Server-Sent Events.",
        discussion: """
            Implements PAGI \(PAGIVersionInfo.current.version). Serves one of the built-in applications \
            (welcome by default; hello, echo, static, ws-echo, sse-ticker) on http://127.0.0.1:5000/ \
            unless told otherwise. HTTP/1.1, WebSocket (with permessage-deflate) and Server-Sent Events. SIGTERM or SIGINT \
            shuts down gracefully: stop accepting, finish in-flight requests (up to --shutdown-timeout), exit 0.

            Exit codes: 0 after a clean shutdown, 64 for bad usage, 1 when startup fails \
            (port in use, lifespan startup failed, …) with one line on stderr.
            """,
        version: "pagi-server \(Self.version) (PAGI \(PAGIVersionInfo.current.version))"
    )

    /// The tool's own version, shown by `--version` and on the welcome page.
    static let version = "0.1.0"

    @Option(help: ArgumentHelp("The built-in application to serve.", valueName: "name"))
    var app: PAGIBuiltinApp = .welcome

    @Option(help: ArgumentHelp("The directory --app static serves.", valueName: "dir"))
    var root: String?

    @OptionGroup(title: "Server options")
    var server: PAGIServerOptions

    func validate() throws {
        if self.app.needsRoot && self.root == nil {
            throw ValidationError("--app \(self.app.rawValue) needs --root DIR: the directory to serve")
        }
        if !self.app.needsRoot && self.root != nil {
            throw ValidationError("--root only applies to --app static")
        }
    }

    func run() async throws {
        let application = try self.app.makeApp(
            root: self.root,
            welcome: PAGIWelcomeConfiguration(serverVersion: "pagi-server \(Self.version) (PAGI \(PAGIVersionInfo.current.version))")
        )
        try await self.server.run(app: application)
    }
}

extension PAGIBuiltinApp: ExpressibleByArgument {}
