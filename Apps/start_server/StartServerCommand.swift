import ArgumentParser
import PAGIFDInheritance
import PAGIPrefork

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `start_server`: a drop-in replacement for Perl's Server::Starter superdaemon.
@main
struct StartServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start_server",
        abstract: "A superdaemon for hot-deploying server programs (Server::Starter compatible).",
        discussion: """
            Binds the listeners once, then runs the command after `--` with SERVER_STARTER_PORT and \
            SERVER_STARTER_GENERATION set. SIGHUP starts a new generation and retires the old one once the new \
            one is up; SIGTERM stops every child and exits.

            Exit codes: 0 after a clean stop, 1 when setup fails (bind, pid file, log file), 64 on bad usage.
            """,
        version: "start_server (PAGI for Swift) 0.1.0"
    )

    @Option(name: .customLong("port"), help: ArgumentHelp(
        "TCP listener: PORT, HOST:PORT or [V6ADDR]:PORT; uPORT binds UDP; a =FD suffix places it on that fd. Repeatable.",
        valueName: "spec"))
    var ports: [String] = []

    @Option(name: .customLong("path"), help: ArgumentHelp("Unix socket listener path. Repeatable.", valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("Listen backlog (default: SOMAXCONN, 4096).", valueName: "n"))
    var backlog: Int32?

    @Option(help: ArgumentHelp("Directory to start the command in.", valueName: "path"))
    var dir: String?

    @Option(help: ArgumentHelp("Seconds a new child must stay alive to count as started (default: 1).", valueName: "secs"))
    var interval: Seconds?

    @Option(name: .customLong("wait-ready"), help: ArgumentHelp(
        "Switch generations only once the new child sends READY=1 on NOTIFY_SOCKET (sd_notify), failing after SECS (bare flag: 60).",
        valueName: "secs"))
    var waitReady: Seconds?

    @Option(name: .customLong("signal-on-hup"), help: ArgumentHelp("Signal sent to old children after a restart (default: TERM).", valueName: "sig"))
    var signalOnHup: SignalArgument?

    @Option(name: .customLong("signal-on-term"), help: ArgumentHelp("Signal sent to all children on SIGTERM (default: TERM).", valueName: "sig"))
    var signalOnTerm: SignalArgument?

    @Option(name: .customLong("pid-file"), help: ArgumentHelp("Write our pid here, locked for our lifetime.", valueName: "file"))
    var pidFile: String?

    @Option(name: .customLong("status-file"), help: ArgumentHelp("Keep GEN:PID lines of live children here.", valueName: "file"))
    var statusFile: String?

    @Option(help: ArgumentHelp("Load environment variables from the files in this directory before each spawn (env ENVDIR).", valueName: "dir"))
    var envdir: String?

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Append stdout and stderr to FILE, or pipe them into \"| command\".", valueName: "file"))
    var logFile: String?

    @Flag(help: "Detach from the terminal (requires --log-file).")
    var daemonize = false

    @Flag(name: .customLong("enable-auto-restart"), help: "Restart the children periodically (env ENABLE_AUTO_RESTART).")
    var enableAutoRestart = false

    @Option(name: .customLong("auto-restart-interval"), help: ArgumentHelp("Auto-restart period in seconds (default: 360; env AUTO_RESTART_INTERVAL).", valueName: "secs"))
    var autoRestartInterval: Seconds?

    @Option(name: .customLong("kill-old-delay"), help: ArgumentHelp(
        "Seconds to wait after a new child is up before signalling the old ones (default: 5 with auto-restart, else 0; env KILL_OLD_DELAY).",
        valueName: "secs"))
    var killOldDelay: Seconds?

    @Flag(help: "Client mode: ask the running start_server (--pid-file, --status-file) to restart and wait for it.")
    var restart = false

    @Flag(help: "Client mode: ask the running start_server (--pid-file) to stop and wait until it has exited.")
    var stop = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The server command and its arguments, after --.", valueName: "command"))
    var command: [String] = []

    /// Bare `--wait-ready` has no value; ArgumentParser options always take one, so it is rewritten first.
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        for index in arguments[..<end].indices where arguments[index] == "--wait-ready" {
            arguments[index] = "--wait-ready=60"
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    mutating func validate() throws {
        if self.restart && self.stop { throw ValidationError("--restart and --stop are exclusive; pick one") }
        if self.restart {
            guard self.pidFile != nil, self.statusFile != nil else {
                throw ValidationError("--restart needs both --pid-file and --status-file of the running start_server")
            }
            return
        }
        if self.stop {
            guard self.pidFile != nil else { throw ValidationError("--stop needs --pid-file of the running start_server") }
            return
        }
        guard !self.command.isEmpty else {
            throw ValidationError("missing the server command; write it after --, e.g. start_server --port=8080 -- plackup app.psgi")
        }
        if self.daemonize && self.logFile == nil {
            throw ValidationError("--daemonize requires --log-file (a daemon has no terminal to write to)")
        }
        if let backlog, backlog <= 0 { throw ValidationError("--backlog must be a positive number, got \(backlog)") }
        if let dir {
            var info = stat()
            guard stat(dir, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw ValidationError("--dir \(dir) is not an existing directory")
            }
        }
        _ = try self.makeConfiguration()
    }

    func run() throws {
        if self.restart, let pidFile, let statusFile {
            try ServerStarterClient.restart(pidFile: pidFile, statusFile: statusFile)
            return
        }
        if self.stop, let pidFile {
            try ServerStarterClient.stop(pidFile: pidFile)
            return
        }
        let code = try ServerStarter.run(try self.makeConfiguration())
        if code != 0 { throw ExitCode(code) }
    }

    /// Turns the options (and their environment fallbacks) into the library's configuration.
    func makeConfiguration() throws -> ServerStarterConfiguration {
        let environment = Environment()
        var configuration = ServerStarterConfiguration()
        configuration.ports = try self.ports.map { text in
            do {
                return try ServerStarterConfiguration.Port(parsing: text)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        for path in self.paths where path.contains(";") {
            throw ValidationError("--path \(path) contains ';', which SERVER_STARTER_PORT cannot carry; rename the socket")
        }
        configuration.paths = self.paths
        if let backlog { configuration.backlog = backlog }
        configuration.directory = self.dir
        if let interval { configuration.interval = interval.duration }
        configuration.waitReady = self.waitReady?.duration
        if let signalOnHup { configuration.signalOnHangup = signalOnHup.signal }
        if let signalOnTerm { configuration.signalOnTerminate = signalOnTerm.signal }
        configuration.pidFile = self.pidFile
        configuration.statusFile = self.statusFile
        configuration.environmentDirectory = self.envdir ?? environment.nonEmpty("ENVDIR")
        configuration.logDestination = self.logFile.map(ServerStarterConfiguration.LogDestination.init(parsing:))
        configuration.daemonize = self.daemonize
        let autoRestart = self.enableAutoRestart || environment.isTrue("ENABLE_AUTO_RESTART")
        if autoRestart {
            let interval = try self.autoRestartInterval ?? environment.seconds("AUTO_RESTART_INTERVAL") ?? Seconds(360)
            guard interval.duration > .zero else { throw ValidationError("--auto-restart-interval must be greater than 0") }
            configuration.autoRestartInterval = interval.duration
        }
        configuration.killOldDelay = try (self.killOldDelay ?? environment.seconds("KILL_OLD_DELAY"))?.duration
        configuration.command = self.command
        return configuration
    }
}
