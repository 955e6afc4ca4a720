import ArgumentParser
import PAGI

/// `pagi-server`: serves PAGI applications.
///
/// This is the foundation's version of the command: it parses and documents the interface; the
/// serving options and the server itself arrive with the PAGIServer package.
@main
struct PAGIServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pagi-server",
        abstract: "Serve PAGI applications over HTTP/1.1, WebSocket and Server-Sent Events.",
        discussion: """
            Implements PAGI \(PAGIVersionInfo.current.version). Serving arrives with the PAGIServer \
            package; until then this command only reports what it is.
            """,
        version: "pagi-server 0.1.0 (PAGI \(PAGIVersionInfo.current.version))"
    )

    @Flag(help: "Exit 0 if this build can serve applications, 1 otherwise (used by `make run`).")
    var canServe = false

    mutating func run() throws {
        if self.canServe {
            throw ExitCode(1)
        }
        throw ValidationError("this build of pagi-server cannot serve yet: the PAGIServer package has not landed")
    }
}
