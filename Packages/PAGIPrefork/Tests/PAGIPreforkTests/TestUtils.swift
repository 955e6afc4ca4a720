@testable import PAGIPrefork

/// A fixed origin for driving state machines through time without sleeping.
let testEpoch = ContinuousClock.now

/// The instant `seconds` after ``testEpoch``.
func at(_ seconds: Double) -> ContinuousClock.Instant {
    testEpoch + .milliseconds(Int64(seconds * 1000))
}

extension Array where Element == GenerationSupervisorStateMachine.Action {
    /// The log lines among the actions.
    var logs: [String] {
        self.compactMap { if case .log(let line) = $0 { line } else { nil } }
    }

    /// The generations the actions ask to spawn.
    var spawns: [Int] {
        self.compactMap { if case .spawn(let generation) = $0 { generation } else { nil } }
    }

    /// Every (pids, signal) the actions send.
    var signals: [([Int32], PreforkSignal)] {
        self.compactMap { if case .signal(let pids, let signal) = $0 { (pids, signal) } else { nil } }
    }

    /// The last status file content the actions write.
    var lastStatus: [GenerationSupervisorStateMachine.Child]? {
        self.compactMap { if case .writeStatus(let children) = $0 { children } else { nil } }.last
    }
}

extension Array where Element == WorkerPoolStateMachine.Action {
    /// The worker numbers the actions ask to spawn.
    var spawnedWorkers: [Int] {
        self.compactMap { if case .spawn(let worker) = $0 { worker } else { nil } }
    }

    /// Every (pid, signal) the actions send.
    var signals: [(Int32, PreforkSignal)] {
        self.compactMap { if case .signal(let pid, let signal) = $0 { (pid, signal) } else { nil } }
    }

    /// The log lines among the actions.
    var logs: [String] {
        self.compactMap { if case .log(_, let line) = $0 { line } else { nil } }
    }

    /// The exit code, if the actions end the supervisor.
    var exitCode: Int32? {
        self.compactMap { if case .exit(let code, _) = $0 { code } else { nil } }.first
    }
}
