/// The decisions of a Server::Starter-style supervisor, with no I/O: one child per generation, a HUP starts a
/// new generation and retires the old one only once the new one is up.
///
/// Every event is a `mutating func` taking the current time and returning the actions the owner must perform
/// in order. When the owner performs ``Action/spawn(generation:)`` it reports back with
/// ``spawned(pid:generation:now:)`` or ``spawnFailed(_:now:)``. The owner calls ``tick(now:)`` whenever
/// ``nextDeadline`` passes; no other timer exists, so an idle supervisor sleeps until a signal arrives.
///
/// Deliberately not enforced: old children that ignore `--signal-on-hup` keep running (as in the original);
/// the machine never escalates to SIGKILL on them.
public struct GenerationSupervisorStateMachine: Sendable {
    /// A live child and the generation it belongs to.
    public struct Child: Sendable, Hashable {
        /// The child's process id.
        public var pid: Int32
        /// The value of `SERVER_STARTER_GENERATION` it was started with.
        public var generation: Int

        /// Creates a child record.
        public init(pid: Int32, generation: Int) {
            self.pid = pid
            self.generation = generation
        }
    }

    /// A side effect the owner performs.
    public enum Action: Sendable, Hashable {
        /// Start the command with `SERVER_STARTER_GENERATION=generation`, then report the pid back.
        case spawn(generation: Int)
        /// Send `signal` to each of `pids`.
        case signal(pids: [Int32], signal: PreforkSignal)
        /// Write one line to the log (stderr).
        case log(String)
        /// Rewrite the status file with these children, sorted by generation.
        case writeStatus([Child])
        /// Every child is gone after a stop request: clean up and exit with this code.
        case exit(code: Int32)
    }

    private enum Phase: Sendable, Hashable {
        /// Before ``start(now:)``.
        case idle
        /// Children are managed normally.
        case running
        /// A stop signal arrived; waiting for every child to exit.
        case stopping
        /// ``Action/exit(code:)`` was returned.
        case finished
    }

    /// A generation on its way up.
    private enum Launch: Sendable, Hashable {
        /// A spawn was requested and its pid has not been reported yet.
        case spawning(isRestart: Bool)
        /// The child runs and must prove readiness by `deadline` (interval rule: survive until it; notify
        /// rule: send READY=1 before it).
        case waiting(Child, startedAt: ContinuousClock.Instant, deadline: ContinuousClock.Instant, isRestart: Bool)
        /// The previous attempt failed; try again at `retryAt`.
        case retrying(at: ContinuousClock.Instant, isRestart: Bool)
    }

    /// A delayed `--signal-on-hup` delivery (`--kill-old-delay`).
    private struct PendingRetirement: Sendable, Hashable {
        var due: ContinuousClock.Instant
        var pids: [Int32]
    }

    private let configuration: GenerationSupervisorConfiguration
    private var phase: Phase = .idle
    private var generation = 0
    private var current: Child?
    private var launch: Launch?
    private var old: [Child] = []
    private var retirements: [PendingRetirement] = []
    private var restartQueued = false
    private var lastRestart: ContinuousClock.Instant?

    /// Creates a machine that has not started anything yet.
    public init(configuration: GenerationSupervisorConfiguration) {
        self.configuration = configuration
    }

    /// The generation number of the most recent spawn (0 before the first).
    public var currentGeneration: Int { self.generation }

    /// The child currently serving, if one has proved ready.
    public var currentChild: Child? { self.current }

    /// Children of earlier generations that have not exited yet, oldest first.
    public var oldChildren: [Child] { self.old }

    /// What the status file holds: the old children and the current one, sorted by generation.
    public var statusChildren: [Child] {
        (self.old + (self.current.map { [$0] } ?? [])).sorted { $0.generation < $1.generation }
    }

    /// The earliest time at which ``tick(now:)`` has something to do, or `nil` when only a signal or a child
    /// exit can change anything.
    public var nextDeadline: ContinuousClock.Instant? {
        guard self.phase == .running else { return nil }
        var deadlines: [ContinuousClock.Instant] = self.retirements.map(\.due)
        switch self.launch {
        case .waiting(_, _, let deadline, _): deadlines.append(deadline)
        case .retrying(let at, _): deadlines.append(at)
        case .spawning, nil: break
        }
        if self.launch == nil, let due = self.autoRestartDue { deadlines.append(due) }
        return deadlines.min()
    }

    // MARK: - Events

    /// Starts the first generation.
    public mutating func start(now: ContinuousClock.Instant) -> [Action] {
        guard case .idle = self.phase else {
            preconditionFailure("GenerationSupervisorStateMachine.start called twice (phase \(self.phase))")
        }
        self.phase = .running
        self.lastRestart = now
        return self.beginLaunch(isRestart: false)
    }

    /// The owner spawned the child requested by ``Action/spawn(generation:)``.
    public mutating func spawned(pid: Int32, generation: Int, now: ContinuousClock.Instant) -> [Action] {
        guard case .spawning(let isRestart) = self.launch, generation == self.generation else {
            preconditionFailure("spawned(pid:) without a pending spawn (launch \(String(describing: self.launch)))")
        }
        let child = Child(pid: pid, generation: generation)
        switch self.phase {
        case .running:
            let deadline: ContinuousClock.Instant
            switch self.configuration.readiness {
            case .alive(let after): deadline = now + after
            case .notify(let timeout): deadline = now + timeout
            }
            self.launch = .waiting(child, startedAt: now, deadline: deadline, isRestart: isRestart)
            return [.log("starting new worker \(pid)")]
        case .stopping:
            // A stop arrived while the spawn was in flight: the new child is stopped with the others.
            self.launch = nil
            self.old.append(child)
            return [.log("starting new worker \(pid)"), .signal(pids: [pid], signal: .terminate)]
        case .idle, .finished:
            preconditionFailure("spawned(pid:) in phase \(self.phase)")
        }
    }

    /// The owner could not spawn the child (for example the executable is missing or `--dir` is gone).
    public mutating func spawnFailed(_ reason: String, now: ContinuousClock.Instant) -> [Action] {
        guard case .spawning(let isRestart) = self.launch else {
            preconditionFailure("spawnFailed without a pending spawn (launch \(String(describing: self.launch)))")
        }
        if self.phase == .stopping {
            self.launch = nil
            return self.finishIfDrained()
        }
        self.launch = .retrying(at: now + self.configuration.retryInterval, isRestart: isRestart)
        return [.log("failed to exec the worker: \(reason); retrying")]
    }

    /// The child `pid` sent `READY=1` on its notify socket.
    public mutating func reportedReady(pid: Int32, now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running, case .waiting(let child, _, _, let isRestart) = self.launch, child.pid == pid,
            case .notify = self.configuration.readiness
        else { return [] }
        return self.promote(child, isRestart: isRestart, now: now)
    }

    /// A child exited (the owner reaped it with `waitpid`).
    public mutating func childExited(pid: Int32, termination: ChildTermination, now: ContinuousClock.Instant) -> [Action] {
        let status = termination.waitStatus
        switch self.phase {
        case .idle, .finished:
            return []
        case .stopping:
            guard self.removeChild(pid) else { return [] }
            return [.log("worker \(pid) died, status:\(status)"), .writeStatus(self.statusChildren)] + self.finishIfDrained()
        case .running:
            break
        }
        if case .waiting(let child, let startedAt, _, let isRestart) = self.launch, child.pid == pid {
            let retryAt = max(now, startedAt + self.configuration.retryInterval)
            self.launch = .retrying(at: retryAt, isRestart: isRestart)
            var actions: [Action] = [.log("new worker \(pid) seems to have failed to start, exit status:\(status)")]
            if retryAt <= now { actions += self.tick(now: now) }
            return actions
        }
        if let current = self.current, current.pid == pid {
            self.current = nil
            var actions: [Action] = [
                .log("worker \(pid) died unexpectedly with status:\(status), restarting"), .writeStatus(self.statusChildren),
            ]
            // During a restart the generation already on its way up replaces it; otherwise start one now.
            if self.launch == nil { actions += self.beginLaunch(isRestart: false) }
            return actions
        }
        if let index = self.old.firstIndex(where: { $0.pid == pid }) {
            self.old.remove(at: index)
            for retirement in self.retirements.indices { self.retirements[retirement].pids.removeAll { $0 == pid } }
            return [.log("old worker \(pid) died, status:\(status)"), .writeStatus(self.statusChildren)]
        }
        return []
    }

    /// SIGHUP (or `--restart`): start a new generation; the current one becomes old once the new one is up.
    public mutating func hangup(now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running else { return [] }
        return [.log("received HUP, spawning a new worker")] + self.restart(now: now)
    }

    /// A terminating signal: SIGTERM sends `--signal-on-term` to every child, any other sends SIGTERM.
    public mutating func terminate(_ received: PreforkSignal, now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running || self.phase == .idle else { return [] }
        self.phase = .stopping
        self.retirements = []
        if let current = self.current {
            self.old.append(current)
            self.current = nil
        }
        var spawnInFlight = false
        switch self.launch {
        case .waiting(let child, _, _, _): self.old.append(child)
        case .spawning: spawnInFlight = true
        case .retrying, nil: break
        }
        if !spawnInFlight { self.launch = nil }
        let signal = received == .terminate ? self.configuration.signalOnTerminate : .terminate
        let pids = self.old.map(\.pid).sorted()
        var actions: [Action] = [
            .log("received \(received), sending \(signal) to all workers:\(pids.map(String.init).joined(separator: ","))")
        ]
        if !pids.isEmpty { actions.append(.signal(pids: pids, signal: signal)) }
        return actions + self.finishIfDrained()
    }

    /// Time passed: fire every deadline at or before `now`.
    public mutating func tick(now: ContinuousClock.Instant) -> [Action] {
        guard self.phase == .running else { return [] }
        var actions: [Action] = []
        let due = self.retirements.filter { $0.due <= now }
        self.retirements.removeAll { $0.due <= now }
        for retirement in due where !retirement.pids.isEmpty {
            actions.append(.log("killing old workers"))
            actions.append(.signal(pids: retirement.pids, signal: self.configuration.signalOnHangup))
        }
        switch self.launch {
        case .waiting(let child, _, let deadline, let isRestart) where deadline <= now:
            switch self.configuration.readiness {
            case .alive:
                actions += self.promote(child, isRestart: isRestart, now: now)
            case .notify(let timeout):
                // The silent child is retired like an old one, so its exit is still reaped and logged.
                self.old.append(child)
                self.launch = .retrying(at: now, isRestart: isRestart)
                actions.append(.log("new worker \(child.pid) did not report READY=1 within \(Self.seconds(timeout))s, sending TERM"))
                actions.append(.signal(pids: [child.pid], signal: .terminate))
                actions.append(.writeStatus(self.statusChildren))
                actions += self.tick(now: now)
            }
        case .retrying(let at, let isRestart) where at <= now:
            actions += self.beginLaunch(isRestart: isRestart)
        case .waiting, .retrying, .spawning, nil:
            if self.launch == nil, let autoDue = self.autoRestartDue, autoDue <= now {
                let forced = !self.old.isEmpty
                let interval = self.configuration.autoRestartInterval.map(Self.seconds) ?? "0"
                actions.append(.log("autorestart triggered (\(forced ? "forced, " : "")interval=\(interval))"))
                actions += self.restart(now: now)
            }
        }
        return actions
    }

    // MARK: - Helpers

    private var autoRestartDue: ContinuousClock.Instant? {
        guard let interval = self.configuration.autoRestartInterval, let last = self.lastRestart else { return nil }
        return self.old.isEmpty ? last + interval : last + interval * 2
    }

    private mutating func restart(now: ContinuousClock.Instant) -> [Action] {
        self.lastRestart = now
        if self.launch != nil {
            // Server::Starter queues a HUP that arrives during a start and handles it once the start is done.
            self.restartQueued = true
            return []
        }
        if let current = self.current {
            self.old.append(current)
            self.current = nil
        }
        return self.beginLaunch(isRestart: true)
    }

    private mutating func beginLaunch(isRestart: Bool) -> [Action] {
        self.generation += 1
        self.launch = .spawning(isRestart: isRestart)
        return [.spawn(generation: self.generation)]
    }

    private mutating func promote(_ child: Child, isRestart: Bool, now: ContinuousClock.Instant) -> [Action] {
        self.launch = nil
        if let previous = self.current {
            // The current child survived a plain respawn race; it is now an old one.
            self.old.append(previous)
        }
        self.current = child
        var actions: [Action] = [.writeStatus(self.statusChildren)]
        if isRestart || !self.old.isEmpty {
            let pids = self.old.map(\.pid).sorted()
            let list = pids.isEmpty ? "none" : pids.map(String.init).joined(separator: ",")
            actions.append(.log("new worker is now running, sending \(self.configuration.signalOnHangup) to old workers:\(list)"))
            if self.configuration.killOldDelay > .zero {
                actions.append(.log("sleeping \(Self.seconds(self.configuration.killOldDelay)) secs before killing old workers"))
                self.retirements.append(PendingRetirement(due: now + self.configuration.killOldDelay, pids: pids))
            } else if !pids.isEmpty {
                actions.append(.log("killing old workers"))
                actions.append(.signal(pids: pids, signal: self.configuration.signalOnHangup))
            }
        }
        if self.restartQueued {
            self.restartQueued = false
            actions += self.restart(now: now)
        }
        return actions
    }

    private mutating func removeChild(_ pid: Int32) -> Bool {
        if let index = self.old.firstIndex(where: { $0.pid == pid }) {
            self.old.remove(at: index)
            return true
        }
        return false
    }

    private mutating func finishIfDrained() -> [Action] {
        guard self.phase == .stopping, self.old.isEmpty, self.launch == nil else { return [] }
        self.phase = .finished
        return [.log("exiting"), .exit(code: 0)]
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return String(seconds) }
        return String(Double(seconds) + Double(attoseconds) / 1e18)
    }
}
