import PAGIServer

/// Server log lines written by the CLI's process layer (master, signals, listener discovery), in the
/// same form and with the same filters as the server's own log (`--log-level`, `--quiet`): it is
/// that log.
struct ProcessLog: Sendable {
    private let logger: ServerLogger

    init(level: PAGIServerLogLevel, quiet: Bool) {
        self.logger = ServerLogger(level: level, quiet: quiet)
    }

    func callAsFunction(_ level: PAGIServerLogLevel, _ message: String) {
        self.logger.log(level, message)
    }
}
