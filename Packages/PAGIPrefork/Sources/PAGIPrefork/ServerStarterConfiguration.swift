public import PAGIFDInheritance

/// Everything `start_server` was asked to do, validated: the value the CLI builds and ``ServerStarter`` runs.
public struct ServerStarterConfiguration: Sendable, Hashable {
    /// A `--port` value: the listener and the descriptor number it must have (`=N`), if any.
    public struct Port: Sendable, Hashable {
        /// What to bind (TCP or UDP).
        public var spec: ListenerSpec
        /// The descriptor the socket is moved to (`--port=8080=5`), or `nil` to keep whatever it got.
        public var descriptor: Int32?

        /// Creates a port.
        public init(spec: ListenerSpec, descriptor: Int32? = nil) {
            self.spec = spec
            self.descriptor = descriptor
        }

        /// Parses start_server's `--port` syntax: `8080`, `host:8080`, `[::1]:8080`, `u53`, `host:u53`, each
        /// optionally followed by `=FD`.
        ///
        /// - Throws: ``ServerStarterError/invalidPort(_:reason:)``.
        public init(parsing text: String) throws(ServerStarterError) {
            var address = Substring(text)
            var descriptor: Int32?
            if let equals = text.lastIndex(of: "=") {
                let digits = text[text.index(after: equals)...]
                guard let number = Int32(digits), number >= 0, digits.allSatisfy(\.isASCII) else {
                    throw .invalidPort(text, reason: "'\(digits)' after '=' is not a descriptor number")
                }
                descriptor = number
                address = text[..<equals]
            }
            do {
                let spec = try ListenerSpec(parsing: String(address), syntax: .serverStarter)
                guard !spec.isUnix else {
                    throw ServerStarterError.invalidPort(text, reason: "unix sockets go in --path, not --port")
                }
                self.init(spec: spec, descriptor: descriptor)
            } catch let error as ServerStarterError {
                throw error
            } catch {
                throw .invalidPort(text, reason: "\(error)")
            }
        }
    }

    /// Where stdout and stderr go (`--log-file`).
    public enum LogDestination: Sendable, Hashable {
        /// Appended to a file.
        case file(String)
        /// Piped into a shell command (`--log-file="| cmd"`).
        case command(String)

        /// Parses the option value: a leading `|` (after optional spaces) means a command.
        public init(parsing text: String) {
            let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.first == "|" {
                self = .command(String(trimmed.dropFirst().drop(while: { $0 == " " || $0 == "\t" })))
            } else {
                self = .file(text)
            }
        }
    }

    /// TCP/UDP listeners, in `--port` order.
    public var ports: [Port] = []
    /// Unix socket paths, in `--path` order.
    public var paths: [String] = []
    /// The listen backlog. Default 4096 (Linux `SOMAXCONN`).
    public var backlog: Int32 = 4096
    /// The directory children start in (`--dir`).
    public var directory: String?
    /// `--interval`: how long a new child must live to count as started. Default 1 second.
    public var interval: Duration = .seconds(1)
    /// `--wait-ready`: wait for `READY=1` instead, failing after this long.
    public var waitReady: Duration?
    /// `--signal-on-hup`. Default TERM.
    public var signalOnHangup: PreforkSignal = .terminate
    /// `--signal-on-term`. Default TERM.
    public var signalOnTerminate: PreforkSignal = .terminate
    /// `--pid-file`.
    public var pidFile: String?
    /// `--status-file`.
    public var statusFile: String?
    /// `--envdir`.
    public var environmentDirectory: String?
    /// `--log-file`.
    public var logDestination: LogDestination?
    /// `--daemonize`.
    public var daemonize = false
    /// `--enable-auto-restart` with `--auto-restart-interval`; `nil` when disabled.
    public var autoRestartInterval: Duration?
    /// `--kill-old-delay`; `nil` means the default (5 s with auto-restart, else 0).
    public var killOldDelay: Duration?
    /// The command to run (everything after `--`).
    public var command: [String] = []

    /// Creates an empty configuration; set the fields the user gave.
    public init() {}

    /// The supervisor settings these options imply.
    public var supervisorConfiguration: GenerationSupervisorConfiguration {
        GenerationSupervisorConfiguration(
            readiness: self.waitReady.map { .notify(timeout: $0) } ?? .alive(after: self.interval),
            // Never retry faster than once a second: `--interval=0` must not turn a broken command into a fork loop.
            retryInterval: max(self.interval, .seconds(1)),
            signalOnHangup: self.signalOnHangup,
            signalOnTerminate: self.signalOnTerminate,
            killOldDelay: self.killOldDelay ?? (self.autoRestartInterval == nil ? .zero : .seconds(5)),
            autoRestartInterval: self.autoRestartInterval
        )
    }
}
