import Testing

@testable import PAGIPrefork

@Suite struct GenerationSupervisorStateMachineTests {
    typealias Machine = GenerationSupervisorStateMachine
    typealias Child = Machine.Child

    /// A machine whose first generation (pid 100) is up.
    func running(_ configuration: GenerationSupervisorConfiguration = .init()) -> Machine {
        var machine = Machine(configuration: configuration)
        #expect(machine.start(now: at(0)).spawns == [1])
        _ = machine.spawned(pid: 100, generation: 1, now: at(0))
        let actions = machine.tick(now: at(1))
        #expect(actions.lastStatus == [Child(pid: 100, generation: 1)])
        return machine
    }

    @Test func firstChildCountsAsStartedOnlyAfterTheInterval() {
        var machine = Machine(configuration: .init(readiness: .alive(after: .seconds(2))))
        #expect(machine.start(now: at(0)) == [.spawn(generation: 1)])
        #expect(machine.spawned(pid: 100, generation: 1, now: at(0)) == [.log("starting new worker 100")])
        #expect(machine.nextDeadline == at(2))
        #expect(machine.tick(now: at(1.999)).isEmpty)
        #expect(machine.currentChild == nil)
        let actions = machine.tick(now: at(2))
        #expect(actions == [.writeStatus([Child(pid: 100, generation: 1)])])
        #expect(machine.currentChild == Child(pid: 100, generation: 1))
        #expect(machine.nextDeadline == nil)
    }

    @Test func childDyingDuringTheIntervalIsRetriedWithANewGenerationNoSoonerThanTheRetryInterval() {
        var machine = Machine(configuration: .init(readiness: .alive(after: .seconds(1)), retryInterval: .seconds(1)))
        _ = machine.start(now: at(0))
        _ = machine.spawned(pid: 100, generation: 1, now: at(0))
        let died = machine.childExited(pid: 100, termination: .exited(1), now: at(0.2))
        #expect(died == [.log("new worker 100 seems to have failed to start, exit status:256")])
        #expect(machine.nextDeadline == at(1))
        #expect(machine.tick(now: at(0.5)).isEmpty)
        #expect(machine.tick(now: at(1)) == [.spawn(generation: 2)])
        _ = machine.spawned(pid: 101, generation: 2, now: at(1))
        #expect(machine.tick(now: at(2)).lastStatus == [Child(pid: 101, generation: 2)])
    }

    @Test func spawnFailureIsLoggedAndRetried() {
        var machine = Machine(configuration: .init())
        _ = machine.start(now: at(0))
        let failed = machine.spawnFailed("posix_spawn nope failed", now: at(0))
        #expect(failed.logs == ["failed to exec the worker: posix_spawn nope failed; retrying"])
        #expect(machine.nextDeadline == at(1))
        #expect(machine.tick(now: at(1)).spawns == [2])
    }

    @Test func hangupSwitchesGenerationsOnlyAfterTheNewOneIsUp() {
        var machine = self.running(.init(signalOnHangup: .user1))
        let hup = machine.hangup(now: at(10))
        #expect(hup == [.log("received HUP, spawning a new worker"), .spawn(generation: 2)])
        _ = machine.spawned(pid: 200, generation: 2, now: at(10))
        // Until the new one is up nobody is signalled, and the old one is already listed as old.
        #expect(machine.tick(now: at(10.5)).isEmpty)
        let up = machine.tick(now: at(11))
        #expect(up.lastStatus == [Child(pid: 100, generation: 1), Child(pid: 200, generation: 2)])
        #expect(up.logs.contains("new worker is now running, sending USR1 to old workers:100"))
        #expect(up.signals.map(\.0) == [[100]])
        #expect(up.signals.map(\.1) == [.user1])
        let oldGone = machine.childExited(pid: 100, termination: .exited(0), now: at(12))
        #expect(oldGone == [.log("old worker 100 died, status:0"), .writeStatus([Child(pid: 200, generation: 2)])])
    }

    @Test func killOldDelayPostponesTheSignal() {
        var machine = self.running(.init(killOldDelay: .seconds(5)))
        _ = machine.hangup(now: at(10))
        _ = machine.spawned(pid: 200, generation: 2, now: at(10))
        let up = machine.tick(now: at(11))
        #expect(up.signals.isEmpty)
        #expect(up.logs.contains("sleeping 5 secs before killing old workers"))
        #expect(machine.nextDeadline == at(16))
        #expect(machine.tick(now: at(15.9)).isEmpty)
        #expect(machine.tick(now: at(16)).signals.map(\.0) == [[100]])
    }

    @Test func hangupDuringAStartIsQueuedUntilThatStartCompletes() {
        var machine = self.running()
        _ = machine.hangup(now: at(10))
        _ = machine.spawned(pid: 200, generation: 2, now: at(10))
        let second = machine.hangup(now: at(10.5))
        #expect(second.spawns.isEmpty)
        let up = machine.tick(now: at(11))
        #expect(up.signals.map(\.0) == [[100]])
        #expect(up.spawns == [3])
        _ = machine.spawned(pid: 300, generation: 3, now: at(11))
        #expect(machine.tick(now: at(12)).signals.map(\.0) == [[100, 200]])
    }

    @Test func currentChildDyingIsRespawnedAtOnce() {
        var machine = self.running()
        let actions = machine.childExited(pid: 100, termination: .signaled(9), now: at(20))
        #expect(actions.logs == ["worker 100 died unexpectedly with status:9, restarting"])
        #expect(actions.lastStatus == [])
        #expect(actions.spawns == [2])
    }

    @Test func terminateSendsSignalOnTermToEveryChildAndExitsWhenAllAreGone() {
        var machine = self.running(.init(signalOnTerminate: .quit))
        _ = machine.hangup(now: at(10))
        _ = machine.spawned(pid: 200, generation: 2, now: at(10))
        let stop = machine.terminate(.terminate, now: at(10.5))
        #expect(stop == [.log("received TERM, sending QUIT to all workers:100,200"), .signal(pids: [100, 200], signal: .quit)])
        #expect(machine.nextDeadline == nil)
        #expect(machine.hangup(now: at(11)).isEmpty)
        let first = machine.childExited(pid: 200, termination: .exited(0), now: at(11))
        #expect(first == [.log("worker 200 died, status:0"), .writeStatus([Child(pid: 100, generation: 1)])])
        let last = machine.childExited(pid: 100, termination: .exited(0), now: at(11))
        #expect(last.logs == ["worker 100 died, status:0", "exiting"])
        #expect(last.last == .exit(code: 0))
    }

    @Test func interruptSendsTermRegardlessOfSignalOnTerm() {
        var machine = self.running(.init(signalOnTerminate: .quit))
        #expect(machine.terminate(.interrupt, now: at(5)).signals.map(\.1) == [.terminate])
    }

    @Test func terminateWithNoChildrenExitsImmediately() {
        var machine = Machine(configuration: .init())
        _ = machine.start(now: at(0))
        _ = machine.spawnFailed("x", now: at(0))
        let stop = machine.terminate(.terminate, now: at(0.5))
        #expect(stop.last == .exit(code: 0))
    }

    @Test func notifyReadinessPromotesOnReadyBeforeAnyInterval() {
        var machine = Machine(configuration: .init(readiness: .notify(timeout: .seconds(30))))
        _ = machine.start(now: at(0))
        _ = machine.spawned(pid: 100, generation: 1, now: at(0))
        #expect(machine.tick(now: at(5)).isEmpty)
        #expect(machine.reportedReady(pid: 999, now: at(5)).isEmpty)
        #expect(machine.reportedReady(pid: 100, now: at(5)).lastStatus == [Child(pid: 100, generation: 1)])
    }

    @Test func notifyTimeoutTerminatesTheSilentChildAndTriesAgain() {
        var machine = Machine(configuration: .init(readiness: .notify(timeout: .seconds(3))))
        _ = machine.start(now: at(0))
        _ = machine.spawned(pid: 100, generation: 1, now: at(0))
        #expect(machine.tick(now: at(2.9)).isEmpty)
        let timeout = machine.tick(now: at(3))
        #expect(timeout.logs.first == "new worker 100 did not report READY=1 within 3s, sending TERM")
        #expect(timeout.signals.map(\.0) == [[100]])
        #expect(timeout.spawns == [2])
    }

    @Test func autoRestartIsDueAfterTheIntervalAndForcedAtTwiceIt() {
        var machine = Machine(configuration: .init(autoRestartInterval: .seconds(100)))
        _ = machine.start(now: at(0))
        _ = machine.spawned(pid: 100, generation: 1, now: at(0))
        _ = machine.tick(now: at(1))
        #expect(machine.nextDeadline == at(100))
        let due = machine.tick(now: at(100))
        #expect(due.logs == ["autorestart triggered (interval=100)"])
        _ = machine.spawned(pid: 200, generation: 2, now: at(100))
        _ = machine.tick(now: at(101))
        // Old child 100 ignores its signal: the next restart waits, then is forced at twice the interval.
        #expect(machine.nextDeadline == at(300))
        let forced = machine.tick(now: at(300))
        #expect(forced.logs == ["autorestart triggered (forced, interval=100)"])
    }

    @Test func statusFileRendersAndParsesGenerationsSorted() {
        let children = [Child(pid: 20, generation: 2), Child(pid: 10, generation: 1)]
        #expect(StatusFile.render(children) == "1:10\n2:20\n")
        #expect(StatusFile.parse("1:10\n2:20\nbogus\n") == [Child(pid: 10, generation: 1), Child(pid: 20, generation: 2)])
    }
}
