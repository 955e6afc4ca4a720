#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a ``GenerationSupervisorStateMachine`` against real processes: the loop behind `start_server`.
///
/// Single-threaded, no SwiftNIO and no Swift concurrency: one `poll` over a self-pipe (``SupervisorEventLoop``),
/// `posix_spawn` for children, `waitpid` for exits. Handles SIGHUP (new generation), SIGTERM (stop with
/// `--signal-on-term`), and SIGINT/SIGQUIT/SIGUSR1/SIGUSR2/SIGALRM (stop with SIGTERM), as Server::Starter does.
public final class GenerationSupervisor {
    /// Builds the command for a generation; called before every spawn, so it can re-read `--envdir`.
    public typealias ChildFactory = (_ generation: Int, _ notifySocket: String?) throws -> ChildProcessSpec

    private var machine: GenerationSupervisorStateMachine
    private let configuration: GenerationSupervisorConfiguration
    private let statusFile: String?
    private let makeChild: ChildFactory
    private let log: (String) -> Void
    private let notifyDirectory: String?
    private var notifySockets: [Int32: ReadinessNotifySocket] = [:]
    private var exitCode: Int32?

    /// Creates a supervisor.
    ///
    /// - Parameters:
    ///   - configuration: readiness, signals and delays.
    ///   - statusFile: the `--status-file` path, rewritten on every change and removed at exit; `nil` for none.
    ///   - notifyDirectory: where per-child sd_notify sockets are created; required for `.notify` readiness.
    ///   - log: writes one log line (start_server writes to stderr).
    ///   - makeChild: builds the child for a generation, given its `NOTIFY_SOCKET` path if any.
    public init(
        configuration: GenerationSupervisorConfiguration,
        statusFile: String?,
        notifyDirectory: String?,
        log: @escaping (String) -> Void,
        makeChild: @escaping ChildFactory
    ) {
        if case .notify = configuration.readiness {
            precondition(notifyDirectory != nil, "notify readiness needs a notifyDirectory for the sockets")
        }
        self.machine = GenerationSupervisorStateMachine(configuration: configuration)
        self.configuration = configuration
        self.statusFile = statusFile
        self.notifyDirectory = notifyDirectory
        self.log = log
        self.makeChild = makeChild
    }

    /// Runs until every child has exited after a stop signal; returns the exit code for the process.
    ///
    /// - Throws: ``PreforkSystemError`` if the signal handling cannot be installed.
    public func run() throws(PreforkSystemError) -> Int32 {
        let loop = try SupervisorEventLoop(catching: [.hangup, .terminate, .interrupt, .quit, .user1, .user2, PreforkSignal(rawValue: SIGALRM)])
        defer {
            loop.close()
            for socket in self.notifySockets.values { socket.close() }
            self.notifySockets = [:]
            if let statusFile { unlink(statusFile) }
        }
        self.perform(self.machine.start(now: .now))
        while self.exitCode == nil {
            let wakeup = loop.wait(until: self.machine.nextDeadline, watching: Array(self.notifySockets.keys))
            let now = ContinuousClock.now
            for descriptor in wakeup.readable {
                guard let socket = self.notifySockets[descriptor] else { continue }
                if socket.receivedReady(), let pid = self.pid(for: descriptor) {
                    self.closeNotifySocket(descriptor)
                    self.perform(self.machine.reportedReady(pid: pid, now: now))
                }
            }
            for (pid, termination) in wakeup.exited {
                self.closeNotifySocket(forPid: pid)
                self.perform(self.machine.childExited(pid: pid, termination: termination, now: now))
            }
            for signal in wakeup.signals {
                if signal == .hangup {
                    self.perform(self.machine.hangup(now: now))
                } else {
                    self.perform(self.machine.terminate(signal, now: now))
                }
            }
            self.perform(self.machine.tick(now: .now))
        }
        return self.exitCode ?? 0
    }

    private var socketOwners: [Int32: Int32] = [:]  // notify descriptor → child pid

    private func pid(for descriptor: Int32) -> Int32? { self.socketOwners[descriptor] }

    private func closeNotifySocket(_ descriptor: Int32) {
        self.notifySockets.removeValue(forKey: descriptor)?.close()
        self.socketOwners.removeValue(forKey: descriptor)
    }

    private func closeNotifySocket(forPid pid: Int32) {
        for (descriptor, owner) in self.socketOwners where owner == pid { self.closeNotifySocket(descriptor) }
    }

    private func perform(_ actions: [GenerationSupervisorStateMachine.Action]) {
        var queue = actions[...]
        while let action = queue.popFirst() {
            switch action {
            case .spawn(let generation):
                queue = self.spawn(generation: generation)[...] + queue
            case .signal(let pids, let signal):
                for pid in pids { ChildProcessSpawner.send(signal, to: pid) }
            case .log(let line):
                self.log(line)
            case .writeStatus(let children):
                guard let statusFile else { continue }
                do {
                    try StatusFile.write(StatusFile.render(children), to: statusFile)
                } catch {
                    self.log("failed to update status file: \(error)")
                }
            case .exit(let code):
                self.exitCode = code
            }
        }
    }

    private func spawn(generation: Int) -> [GenerationSupervisorStateMachine.Action] {
        var socket: ReadinessNotifySocket?
        do {
            if case .notify = self.configuration.readiness, let directory = self.notifyDirectory {
                socket = try ReadinessNotifySocket(path: "\(directory)/notify-\(generation).sock")
            }
            let spec = try self.makeChild(generation, socket?.path)
            let pid = try ChildProcessSpawner.spawn(spec)
            if let socket {
                self.notifySockets[socket.descriptor] = socket
                self.socketOwners[socket.descriptor] = pid
            }
            return self.machine.spawned(pid: pid, generation: generation, now: .now)
        } catch {
            socket?.close()
            return self.machine.spawnFailed("\(error)", now: .now)
        }
    }
}

@available(*, unavailable)
extension GenerationSupervisor: Sendable {}
