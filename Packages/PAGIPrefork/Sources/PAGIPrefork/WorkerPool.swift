#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a ``WorkerPoolStateMachine`` against real processes: the master loop `pagi-server --workers N` will use.
///
/// Single-threaded like ``GenerationSupervisor``: one `poll` over the signal pipe and one heartbeat pipe per
/// worker. Signals: TERM/INT stop, HUP rolls the workers, TTIN/TTOU grow/shrink, USR2 starts a hot restart.
/// Each worker gets the write end of its heartbeat pipe (see ``WorkerHeartbeat``); the factory decides how the
/// worker learns its number (an environment variable, an argument) and which listeners it inherits.
public final class WorkerPool {
    /// Builds worker `number`; `heartbeatDescriptor` (when heartbeats are on) must be in its inherited descriptors.
    public typealias WorkerFactory = (_ number: Int, _ heartbeatDescriptor: Int32?) throws -> ChildProcessSpec
    /// Builds the new master for a USR2 hot restart (same program, listeners passed via `PAGI_REUSE`).
    public typealias MasterFactory = () throws -> ChildProcessSpec

    /// How the pool ended.
    public struct Outcome: Sendable, Hashable {
        /// The exit code for the process.
        public var code: Int32
        /// A new master took over: shared unix sockets must not be unlinked.
        public var keepListeners: Bool
    }

    private var machine: WorkerPoolStateMachine
    private let heartbeats: Bool
    private let log: (WorkerPoolStateMachine.LogLevel, String) -> Void
    private let makeWorker: WorkerFactory
    private let makeNewMaster: MasterFactory?
    private var heartbeatPipes: [Int32: Int32] = [:]  // read end → worker pid
    private var outcome: Outcome?
    private var readyReported = false
    private var stoppingReported = false

    /// Called once, when every worker is up for the first time (the moment to send `READY=1`).
    public var onReady: () -> Void = {}
    /// Called once, when TERM, INT or QUIT starts the shutdown (the moment to send `STOPPING=1`).
    public var onStopping: () -> Void = {}

    /// Creates a pool.
    ///
    /// - Parameters:
    ///   - configuration: counts and timers.
    ///   - oldMaster: the master this one replaces in a hot restart (`PAGI_MASTER_PID`), if any.
    ///   - log: writes one log line.
    ///   - makeWorker: builds a worker's process.
    ///   - makeNewMaster: builds the new master for USR2; `nil` refuses hot restarts.
    public init(
        configuration: WorkerPoolConfiguration,
        oldMaster: Int32? = nil,
        log: @escaping (WorkerPoolStateMachine.LogLevel, String) -> Void,
        makeWorker: @escaping WorkerFactory,
        makeNewMaster: MasterFactory? = nil
    ) {
        self.machine = WorkerPoolStateMachine(configuration: configuration, oldMaster: oldMaster)
        self.heartbeats = configuration.heartbeatTimeout != nil
        self.log = log
        self.makeWorker = makeWorker
        self.makeNewMaster = makeNewMaster
    }

    /// Runs until the pool has stopped; returns the exit code and whether listeners were handed over.
    ///
    /// - Throws: ``PreforkSystemError`` if signal handling cannot be installed.
    public func run() throws(PreforkSystemError) -> Outcome {
        let loop = try SupervisorEventLoop(catching: [.terminate, .interrupt, .quit, .hangup, .ttin, .ttou, .user2])
        defer {
            loop.close()
            for descriptor in self.heartbeatPipes.keys { close(descriptor) }
            self.heartbeatPipes = [:]
        }
        self.perform(self.machine.start(now: .now))
        while self.outcome == nil {
            var deadline = self.machine.nextDeadline
            if !self.readyReported {
                // Until the first readiness, look every 100 ms (readiness without heartbeats is time-based).
                let soon = ContinuousClock.now + .milliseconds(100)
                deadline = min(deadline ?? soon, soon)
            }
            let wakeup = loop.wait(until: deadline, watching: Array(self.heartbeatPipes.keys))
            let now = ContinuousClock.now
            for descriptor in wakeup.readable {
                guard let pid = self.heartbeatPipes[descriptor] else { continue }
                if self.drain(descriptor) {
                    self.perform(self.machine.heartbeat(pid: pid, now: now))
                } else {
                    // EOF: the worker closed its end (it is exiting); stop watching so poll does not spin.
                    self.closeHeartbeat(descriptor)
                }
            }
            for (pid, termination) in wakeup.exited {
                for (descriptor, owner) in self.heartbeatPipes where owner == pid { self.closeHeartbeat(descriptor) }
                self.perform(self.machine.childExited(pid: pid, termination: termination, now: now))
            }
            for signal in wakeup.signals {
                switch signal {
                case .hangup: self.perform(self.machine.rollingRestart(now: now))
                case .ttin: self.perform(self.machine.grow(now: now))
                case .ttou: self.perform(self.machine.shrink(now: now))
                case .user2: self.perform(self.machine.hotRestartRequested(now: now))
                case .quit:
                    // Immediate stop: no drain, every worker is killed now.
                    self.reportStopping()
                    let pids = self.machine.livePids
                    self.perform(self.machine.stop(now: now))
                    self.log(.warning, "Received QUIT, killing \(pids.count) workers immediately")
                    for pid in pids { ChildProcessSpawner.send(.kill, to: pid) }
                default:
                    self.reportStopping()
                    self.perform(self.machine.stop(now: now))
                }
            }
            self.perform(self.machine.tick(now: .now))
            if !self.readyReported, self.outcome == nil, self.machine.healthyWorkerCount(now: .now) >= self.machine.workerCount {
                self.readyReported = true
                self.onReady()
            }
        }
        return self.outcome ?? Outcome(code: 0, keepListeners: false)
    }

    private func reportStopping() {
        guard !self.stoppingReported else { return }
        self.stoppingReported = true
        self.onStopping()
    }

    /// Reads every pending heartbeat byte; `false` at end of file.
    private func drain(_ descriptor: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64)
        var sawData = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { sawData = true; continue }
            if count == -1 && errno == EINTR { continue }
            return count == -1 || sawData  // EAGAIN after data (or none yet) keeps the pipe; 0 is EOF
        }
    }

    private func closeHeartbeat(_ descriptor: Int32) {
        if self.heartbeatPipes.removeValue(forKey: descriptor) != nil { close(descriptor) }
    }

    private func perform(_ actions: [WorkerPoolStateMachine.Action]) {
        var queue = actions[...]
        while let action = queue.popFirst() {
            switch action {
            case .spawn(let number):
                queue = self.spawnWorker(number)[...] + queue
            case .signal(let pid, let signal):
                ChildProcessSpawner.send(signal, to: pid)
            case .log(let level, let line):
                self.log(level, line)
            case .spawnNewMaster:
                queue = self.spawnNewMaster()[...] + queue
            case .exit(let code, let keepListeners):
                self.outcome = Outcome(code: code, keepListeners: keepListeners)
            }
        }
    }

    private func spawnWorker(_ number: Int) -> [WorkerPoolStateMachine.Action] {
        var pipe: (read: Int32, write: Int32)?
        do {
            if self.heartbeats { pipe = try pagiMakePipe() }
            let spec = try self.makeWorker(number, pipe?.write)
            let pid = try ChildProcessSpawner.spawn(spec)
            if let pipe {
                close(pipe.write)
                self.heartbeatPipes[pipe.read] = pid
            }
            return self.machine.spawned(worker: number, pid: pid, now: .now)
        } catch {
            if let pipe {
                close(pipe.read)
                close(pipe.write)
            }
            return self.machine.spawnFailed(worker: number, reason: "\(error)", now: .now)
        }
    }

    private func spawnNewMaster() -> [WorkerPoolStateMachine.Action] {
        guard let makeNewMaster else {
            return self.machine.newMasterSpawnFailed(reason: "hot restart is not configured", now: .now)
        }
        do {
            let pid = try ChildProcessSpawner.spawn(try makeNewMaster())
            return self.machine.newMasterSpawned(pid: pid, now: .now)
        } catch {
            return self.machine.newMasterSpawnFailed(reason: "\(error)", now: .now)
        }
    }
}

@available(*, unavailable)
extension WorkerPool: Sendable {}

/// The worker's side of the heartbeat pipe: one byte per beat, never blocking.
///
/// Call ``beat()`` every fifth of the pool's `heartbeatTimeout` (10 s by default), starting once the worker's
/// lifespan startup is done; the first beat also marks the worker as up for HUP rolling replacement.
public struct WorkerHeartbeat: Sendable {
    /// The inherited write end of the pipe.
    public let descriptor: Int32

    /// Wraps the inherited descriptor (for example parsed from an environment variable the factory set).
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes one 0x00 byte; a full pipe means beats are already pending, so the byte is simply dropped.
    public func beat() {
        var byte: UInt8 = 0
        while write(self.descriptor, &byte, 1) == -1 && errno == EINTR {}
    }
}
