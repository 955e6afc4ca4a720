/// The decisions of a multi-worker master (`pagi-server --workers N`), with no I/O.
///
/// Workers are numbered `1...count`. Each event is a `mutating func` taking the current time and returning the
/// actions to perform in order; ``tick(now:)`` runs whenever ``nextDeadline`` passes. Rules
/// (server-behaviour.md §17, with our decisions on its ⚠ items):
/// - exit code 2 means "startup failed": that number is not respawned; if every number has failed, the master
///   exits 1 instead of idling with open sockets and no workers;
/// - any other exit is respawned with the same number, no sooner than `spawnInterval` after its last spawn;
/// - TTIN adds number `count + 1`; TTOU retires number `count` (the most recent), never going below 1;
/// - HUP replaces workers one at a time, and the old one is told to stop only once its replacement is up;
/// - TERM/INT stop every worker, escalating to SIGKILL after `shutdownTimeout`;
/// - a worker silent for `heartbeatTimeout` (or `startupTimeout` before its first beat) is killed;
/// - USR2 asks the owner to start a new master; a new master (``init(configuration:oldMaster:)``) retires the old
///   one once its workers are healthy. If the new master dies, the old one notices and keeps serving.
public struct WorkerPoolStateMachine: Sendable {
    /// How loud a log line is.
    public enum LogLevel: Sendable, Hashable {
        /// Routine events (respawns, TTIN/TTOU, restarts).
        case info
        /// Something went wrong and was handled (startup failure, timeouts, SIGKILL escalation).
        case warning
        /// The pool cannot do what was asked (all workers failed, hot restart failed).
        case error
    }

    /// A side effect the owner performs.
    public enum Action: Sendable, Hashable {
        /// Start worker `worker` (its number), then report with ``spawned(worker:pid:now:)``.
        case spawn(worker: Int)
        /// Send `signal` to `pid` (a worker, or the old master).
        case signal(pid: Int32, signal: PreforkSignal)
        /// Write a log line.
        case log(LogLevel, String)
        /// Start a new master for a hot restart, then report with ``newMasterSpawned(pid:now:)``.
        case spawnNewMaster
        /// All workers are gone: exit with `code`. `keepListeners` is true when a new master took over, so
        /// shared unix sockets must not be unlinked.
        case exit(code: Int32, keepListeners: Bool)
    }

    private enum Role: Sendable, Hashable {
        /// Serving under its number.
        case serving
        /// Started by HUP to take over from `oldPid`; promoted once up.
        case replacing(oldPid: Int32)
        /// Told to stop; SIGKILL at `killAt`.
        case retiring(killAt: ContinuousClock.Instant)
    }

    private struct Worker: Sendable, Hashable {
        var number: Int
        var pid: Int32
        var spawnedAt: ContinuousClock.Instant
        var lastBeat: ContinuousClock.Instant?
        var role: Role
        var killed = false
    }

    private enum Phase: Sendable, Hashable {
        case idle, running, stopping, finished
    }

    private enum HotRestart: Sendable, Hashable {
        case none
        case spawning
        case running(newMaster: Int32)
    }

    private let configuration: WorkerPoolConfiguration
    private var phase: Phase = .idle
    private var count: Int
    private var workers: [Worker] = []
    private var pendingSpawns: [Int: ContinuousClock.Instant] = [:]
    private var spawnsInFlight: [Int: Bool] = [:]  // number → is a HUP replacement
    private var lastSpawn: [Int: ContinuousClock.Instant] = [:]
    private var failedNumbers: Set<Int> = []
    private var rollingQueue: [Int] = []
    private var hotRestart: HotRestart = .none
    private var oldMaster: (pid: Int32, deadline: ContinuousClock.Instant?)?
    private var stoppingForHandover = false

    /// Creates a pool; `oldMaster` is the pid of the master this one replaces in a hot restart (`PAGI_MASTER_PID`).
    public init(configuration: WorkerPoolConfiguration, oldMaster: Int32? = nil) {
        self.configuration = configuration
        self.count = configuration.workers
        self.oldMaster = oldMaster.map { ($0, nil) }
    }

    /// The pids of live workers, by worker number (replacements and retiring workers included).
    public var livePids: [Int32] { self.workers.map(\.pid) }

    /// How many worker numbers the pool currently wants.
    public var workerCount: Int { self.count }

    /// How many workers serve under their number and are up (heartbeat seen, or alive for `readyAfter`
    /// without heartbeats): the pool is ready once this reaches ``workerCount``.
    public func healthyWorkerCount(now: ContinuousClock.Instant) -> Int {
        self.workers.filter { $0.role == .serving && self.isUp($0, now: now) }.count
    }

    /// Whether a hot restart started by USR2 is still in progress.
    public var isHotRestartInProgress: Bool { self.hotRestart != .none }

    /// The earliest time ``tick(now:)`` has work to do, or `nil` when only an event can change anything.
    public var nextDeadline: ContinuousClock.Instant? {
        var deadlines = Array(self.pendingSpawns.values)
        for worker in self.workers {
            if case .retiring(let killAt) = worker.role, !worker.killed { deadlines.append(killAt) }
            guard self.phase == .running, !worker.killed else { continue }
            if let silence = self.silenceDeadline(worker) { deadlines.append(silence) }
            if case .replacing = worker.role, worker.lastBeat == nil { deadlines.append(worker.spawnedAt + self.configuration.readyAfter) }
            if self.oldMaster != nil, worker.lastBeat == nil { deadlines.append(worker.spawnedAt + self.configuration.readyAfter) }
        }
        if let deadline = self.oldMaster?.deadline { deadlines.append(deadline) }
        return deadlines.min()
    }

    // MARK: - Lifecycle events

    /// Spawns workers `1...workers`.
    public mutating func start(now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .idle else { preconditionFailure("WorkerPoolStateMachine.start called in phase \(self.phase)") }
        self.phase = .running
        if let old = self.oldMaster { self.oldMaster = (old.pid, now + self.configuration.hotRestartGrace) }
        return (1...self.count).flatMap { self.requestSpawn($0, replacing: false) }
    }

    /// The owner spawned worker `worker` as `pid`.
    public mutating func spawned(worker number: Int, pid: Int32, now: ContinuousClock.Instant) -> [Action] {
        guard let isReplacement = self.spawnsInFlight.removeValue(forKey: number) else {
            preconditionFailure("spawned(worker: \(number)) without a pending spawn")
        }
        self.lastSpawn[number] = now
        if self.phase != .running {
            self.workers.append(Worker(number: number, pid: pid, spawnedAt: now, role: .retiring(killAt: now + self.configuration.shutdownTimeout)))
            return [.signal(pid: pid, signal: .terminate)]
        }
        var role = Role.serving
        if isReplacement, let old = self.workers.first(where: { $0.number == number && $0.role == .serving }) {
            role = .replacing(oldPid: old.pid)
        }
        self.workers.append(Worker(number: number, pid: pid, spawnedAt: now, role: role))
        return []
    }

    /// The owner could not spawn worker `worker`; it is retried after `spawnInterval`.
    public mutating func spawnFailed(worker number: Int, reason: String, now: ContinuousClock.Instant) -> [Action] {
        self.spawnsInFlight.removeValue(forKey: number)
        self.lastSpawn[number] = now
        guard self.phase == .running else { return self.finishIfDrained() }
        self.pendingSpawns[number] = now + self.configuration.spawnInterval
        return [.log(.error, "Worker \(number): spawn failed: \(reason); retrying")]
    }

    /// A worker (or the new master of a hot restart) exited.
    public mutating func childExited(pid: Int32, termination: ChildTermination, now: ContinuousClock.Instant) -> [Action] {
        if case .running(let newMaster) = self.hotRestart, newMaster == pid {
            self.hotRestart = .none
            return [.log(.error, "Hot restart: new master \(pid) ended (\(termination)) before taking over; still serving")]
        }
        guard let index = self.workers.firstIndex(where: { $0.pid == pid }) else { return [] }
        let worker = self.workers.remove(at: index)
        switch (self.phase, worker.role) {
        case (.stopping, _), (.finished, _), (.idle, _):
            return self.finishIfDrained()
        case (.running, .retiring):
            return self.continueRolling(now: now)
        case (.running, .replacing):
            if termination == .exited(2) {
                // The replacement could not start: the old worker keeps serving.
                self.rollingQueue = []
                return [.log(.warning, "Worker \(worker.number) startup failed during restart, keeping the old worker")]
            }
            return self.requestSpawn(worker.number, replacing: true)
        case (.running, .serving):
            if termination == .exited(2) {
                self.failedNumbers.insert(worker.number)
                var actions: [Action] = [.log(.warning, "Worker \(worker.number) startup failed, not respawning")]
                if self.workers.isEmpty, self.pendingSpawns.isEmpty, self.spawnsInFlight.isEmpty {
                    self.phase = .finished
                    actions.append(.log(.error, "All workers failed at startup (exit status 2); exiting"))
                    actions.append(.exit(code: 1, keepListeners: false))
                }
                return actions
            }
            if self.workers.contains(where: { $0.number == worker.number }) {
                // A replacement for this number is already on its way up.
                return []
            }
            let due = max(now, (self.lastSpawn[worker.number] ?? now) + self.configuration.spawnInterval)
            self.pendingSpawns[worker.number] = due
            var actions: [Action] = [.log(.info, "Worker \(worker.number) (\(pid)) ended with \(termination), respawning")]
            if due <= now { actions += self.tick(now: now) }
            return actions
        }
    }

    /// A heartbeat byte arrived from `pid`.
    public mutating func heartbeat(pid: Int32, now: ContinuousClock.Instant) -> [Action] {
        guard let index = self.workers.firstIndex(where: { $0.pid == pid }) else { return [] }
        self.workers[index].lastBeat = now
        return self.tick(now: now)
    }

    // MARK: - Signals

    /// TTIN: one more worker.
    public mutating func grow(now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running else { return [] }
        self.count += 1
        return [.log(.info, "Received TTIN, spawning worker \(self.count) (total: \(self.count))")]
            + self.requestSpawn(self.count, replacing: false)
    }

    /// TTOU: one worker fewer (the highest number), never below 1.
    public mutating func shrink(now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running, self.count > 1 else { return [] }
        let number = self.count
        self.count -= 1
        self.pendingSpawns.removeValue(forKey: number)
        self.failedNumbers.remove(number)
        self.rollingQueue.removeAll { $0 == number }
        var actions: [Action] = [.log(.info, "Received TTOU, killing worker (remaining: \(self.count))")]
        for index in self.workers.indices where self.workers[index].number == number {
            actions += self.retire(index, now: now)
        }
        return actions
    }

    /// HUP: replace every worker, one at a time, each old one stopped only once its replacement is up.
    public mutating func rollingRestart(now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running else { return [] }
        let numbers = Set(self.workers.filter { $0.role == .serving }.map(\.number)).sorted()
        let inProgress = !self.rollingQueue.isEmpty || self.workers.contains { if case .replacing = $0.role { true } else { false } }
        self.rollingQueue = numbers
        var actions: [Action] = [.log(.info, "Received HUP, performing graceful restart")]
        if !inProgress { actions += self.continueRolling(now: now) }
        return actions
    }

    /// TERM/INT: stop every worker; SIGKILL after `shutdownTimeout`.
    public mutating func stop(now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running || self.phase == .idle else { return [] }
        self.stoppingForHandover = self.hotRestart != .none
        self.phase = .stopping
        self.pendingSpawns = [:]
        self.rollingQueue = []
        var actions: [Action] = []
        for index in self.workers.indices {
            if case .retiring = self.workers[index].role { continue }
            actions += self.retire(index, now: now)
        }
        return actions + self.finishIfDrained()
    }

    /// USR2: start a hot restart unless one is running or the pool is stopping.
    public mutating func hotRestartRequested(now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running else { return [.log(.warning, "Server is shutting down, ignoring USR2")] }
        guard self.hotRestart == .none else { return [.log(.warning, "Hot restart already in progress, ignoring USR2")] }
        self.hotRestart = .spawning
        return [.spawnNewMaster]
    }

    /// The owner started the new master as `pid`.
    public mutating func newMasterSpawned(pid: Int32, now: ContinuousClock.Instant) -> [Action] {
        self.hotRestart = .running(newMaster: pid)
        return [.log(.info, "Hot restart: started new master \(pid)")]
    }

    /// The owner could not start the new master; the old one keeps serving and a later USR2 may try again.
    public mutating func newMasterSpawnFailed(reason: String, now: ContinuousClock.Instant) -> [Action] {
        self.hotRestart = .none
        return [.log(.error, "Hot restart fork failed: \(reason)")]
    }

    // MARK: - Time

    /// Fires every deadline at or before `now`: respawns, SIGKILL escalation, heartbeat timeouts, promotions of
    /// HUP replacements, and retiring the old master.
    public mutating func tick(now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = []
        for (number, due) in self.pendingSpawns.sorted(by: { $0.key < $1.key }) where due <= now {
            self.pendingSpawns.removeValue(forKey: number)
            if self.phase == .running { actions += self.requestSpawn(number, replacing: false) }
        }
        for index in self.workers.indices {
            let worker = self.workers[index]
            if case .retiring(let killAt) = worker.role, !worker.killed, killAt <= now {
                self.workers[index].killed = true
                actions.append(.log(.warning, "Worker \(worker.pid) did not exit after \(Self.seconds(self.configuration.shutdownTimeout))s, sending SIGKILL"))
                actions.append(.signal(pid: worker.pid, signal: .kill))
                continue
            }
            guard self.phase == .running, !worker.killed else { continue }
            if let silence = self.silenceDeadline(worker), silence <= now {
                self.workers[index].killed = true
                let seconds = Self.seconds(worker.lastBeat == nil ? self.configuration.startupTimeout : self.configuration.heartbeatTimeout ?? .zero)
                actions.append(.log(.warning, "Worker \(worker.pid) (worker \(worker.number)) heartbeat timeout after \(seconds)s, sending SIGKILL"))
                actions.append(.signal(pid: worker.pid, signal: .kill))
            }
        }
        for index in self.workers.indices {
            guard case .replacing(let oldPid) = self.workers[index].role, self.isUp(self.workers[index], now: now) else { continue }
            self.workers[index].role = .serving
            if let old = self.workers.firstIndex(where: { $0.pid == oldPid }) {
                actions += self.retire(old, now: now)
            } else {
                actions += self.continueRolling(now: now)
            }
        }
        actions += self.checkOldMaster(now: now)
        return actions
    }

    // MARK: - Helpers

    private mutating func requestSpawn(_ number: Int, replacing: Bool) -> [Action] {
        self.spawnsInFlight[number] = replacing
        return [.spawn(worker: number)]
    }

    private mutating func retire(_ index: Int, now: ContinuousClock.Instant) -> [Action] {
        self.workers[index].role = .retiring(killAt: now + self.configuration.shutdownTimeout)
        return [.signal(pid: self.workers[index].pid, signal: .terminate)]
    }

    private mutating func continueRolling(now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running else { return [] }
        while !self.rollingQueue.isEmpty {
            let number = self.rollingQueue.removeFirst()
            guard number <= self.count, self.workers.contains(where: { $0.number == number && $0.role == .serving }) else { continue }
            return self.requestSpawn(number, replacing: true)
        }
        return []
    }

    private func isUp(_ worker: Worker, now: ContinuousClock.Instant) -> Bool {
        worker.lastBeat != nil || (self.configuration.heartbeatTimeout == nil && worker.spawnedAt + self.configuration.readyAfter <= now)
    }

    private func silenceDeadline(_ worker: Worker) -> ContinuousClock.Instant? {
        guard let timeout = self.configuration.heartbeatTimeout else { return nil }
        if case .retiring = worker.role { return nil }
        guard let lastBeat = worker.lastBeat else { return worker.spawnedAt + self.configuration.startupTimeout }
        return lastBeat + timeout
    }

    private mutating func checkOldMaster(now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running, let old = self.oldMaster, let deadline = old.deadline else { return [] }
        let healthy = self.workers.filter { $0.role == .serving && self.isUp($0, now: now) }.count
        if healthy >= self.count {
            self.oldMaster = nil
            return [
                .log(.info, "Hot restart: \(healthy) workers healthy, sending SIGTERM to old master \(old.pid)"),
                .signal(pid: old.pid, signal: .terminate),
            ]
        }
        guard deadline <= now else { return [] }
        self.oldMaster = nil
        if healthy == 0 {
            return [.log(.error, "Hot restart: no workers running, not retiring old master \(old.pid)")]
        }
        return [
            .log(.info, "Hot restart: \(healthy) workers healthy, sending SIGTERM to old master \(old.pid)"),
            .signal(pid: old.pid, signal: .terminate),
        ]
    }

    private mutating func finishIfDrained() -> [Action] {
        guard self.phase == .stopping, self.workers.isEmpty, self.spawnsInFlight.isEmpty else { return [] }
        self.phase = .finished
        return [.exit(code: 0, keepListeners: self.stoppingForHandover)]
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return attoseconds == 0 ? String(seconds) : String(Double(seconds) + Double(attoseconds) / 1e18)
    }
}
