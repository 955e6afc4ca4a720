public import ArgumentParser

/// The process-model flags of `pagi-server`: prefork workers, their health and recycling.
///
/// Part of ``PAGIServerOptions`` (as an option group), so `pagi-server` and programs embedding
/// the server through ``PAGIServerCommand`` accept the same flags.
public struct PAGIProcessOptions: ParsableArguments, Sendable {
    @Option(
        name: [.short, .long, .customLong("max-workers")],
        help: ArgumentHelp(
            "Worker processes; above 1 a master binds the listeners and supervises them (0 or 1: single process).",
            valueName: "count"
        )
    )
    public var workers: Int = 1

    @Flag(help: "Each worker binds its own SO_REUSEPORT socket instead of sharing the master's (TCP only).")
    public var reuseport = false

    @Option(help: ArgumentHelp("A worker silent this many seconds is killed and replaced; 0 disables (workers only).", valueName: "seconds"))
    public var heartbeatTimeout: Int = 50

    @Option(
        name: [.long, .customLong("max-reqs-per-child")],
        help: ArgumentHelp("A worker exits gracefully (and is respawned) after this many requests; 0 never.", valueName: "count")
    )
    public var maxRequests: Int = 0

    @Option(help: ArgumentHelp("With --max-requests: draw each worker's budget between this and --max-requests.", valueName: "count"))
    public var minReqsPerChild: Int?

    @Option(help: ArgumentHelp("Least seconds between two spawns of one worker (crash throttle, slow restart).", valueName: "seconds"))
    public var spawnInterval: Double = 1

    @Option(help: ArgumentHelp("Write the server's pid to this file (locked while it runs, removed at exit).", valueName: "file"))
    public var pid: String?

    @Flag(name: [.customShort("D"), .long], help: "Run in the background (a new session; stdio to /dev/null unless --error-log).")
    public var daemonize = false

    @Option(help: ArgumentHelp("Append the server log (stderr) to this file.", valueName: "file"))
    public var errorLog: String?

    @Option(help: ArgumentHelp("After binding, switch to this user (name or uid; needs root).", valueName: "user"))
    public var user: String?

    @Option(help: ArgumentHelp("After binding, switch to these groups (names or gids, comma or space separated; needs root).", valueName: "groups"))
    public var group: String?

    @Option(help: ArgumentHelp("The file-mode creation mask, in octal (e.g. 022).", valueName: "octal"))
    public var umask: String?

    @Option(help: ArgumentHelp("Close a connection after this many requests; 1 disables keep-alive (default: unlimited).", valueName: "count"))
    public var maxKeepaliveReqs: Int?

    /// Creates the options with every default.
    public init() {}

    public func validate() throws {
        if self.workers < 0 { throw ValidationError("--workers must be 0 or more, got \(self.workers)") }
        if self.heartbeatTimeout < 0 { throw ValidationError("--heartbeat-timeout must be 0 (disabled) or more, got \(self.heartbeatTimeout)") }
        if self.maxRequests < 0 { throw ValidationError("--max-requests must be 0 (never) or more, got \(self.maxRequests)") }
        if let minimum = self.minReqsPerChild {
            if self.maxRequests == 0 { throw ValidationError("--min-reqs-per-child needs --max-requests (the upper bound)") }
            if minimum < 1 || minimum > self.maxRequests {
                throw ValidationError("--min-reqs-per-child must be between 1 and --max-requests (\(self.maxRequests)), got \(minimum)")
            }
        }
        if let mask = self.umask, Self.parseOctal(mask) == nil {
            throw ValidationError("--umask must be an octal value like 022, got: \(mask)")
        }
        if let count = self.maxKeepaliveReqs, count < 1 {
            throw ValidationError("--max-keepalive-reqs must be at least 1 (1 disables keep-alive), got \(count)")
        }
        if !(self.spawnInterval >= 0 && self.spawnInterval <= 3600) {
            throw ValidationError("--spawn-interval must be between 0 and 3600 seconds, got \(self.spawnInterval)")
        }
    }

    /// `0NNN`/`NNN` octal → the value (at most 0777); anything else → `nil`.
    static func parseOctal(_ text: String) -> UInt32? {
        guard !text.isEmpty, text.count <= 4, let value = UInt32(text, radix: 8), value <= 0o777 else { return nil }
        return value
    }

    /// Whether a master supervises worker processes.
    public var isMultiWorker: Bool { self.workers > 1 }
}
