import Testing

@testable import PAGIPrefork

@Suite struct WorkerPoolStateMachineTests {
    typealias Machine = WorkerPoolStateMachine

    /// A pool of `count` workers with pids 100, 101, … spawned at time 0.
    func started(_ configuration: WorkerPoolConfiguration, oldMaster: Int32? = nil) -> Machine {
        var machine = Machine(configuration: configuration, oldMaster: oldMaster)
        let spawns = machine.start(now: at(0)).spawnedWorkers
        #expect(spawns == Array(1...configuration.workers))
        for number in spawns { _ = machine.spawned(worker: number, pid: Int32(99 + number), now: at(0)) }
        return machine
    }

    @Test func exitedWorkerIsRespawnedWithTheSameNumberAfterTheSpawnInterval() {
        var machine = self.started(.init(workers: 2, spawnInterval: .seconds(2), heartbeatTimeout: nil))
        let exited = machine.childExited(pid: 101, termination: .exited(0), now: at(1))
        #expect(exited.spawnedWorkers.isEmpty)
        #expect(machine.nextDeadline == at(2))
        #expect(machine.tick(now: at(1.9)).spawnedWorkers.isEmpty)
        #expect(machine.tick(now: at(2)).spawnedWorkers == [2])
    }

    @Test func exitLongAfterTheLastSpawnRespawnsImmediately() {
        var machine = self.started(.init(workers: 1, spawnInterval: .seconds(1), heartbeatTimeout: nil))
        #expect(machine.childExited(pid: 100, termination: .signaled(11), now: at(50)).spawnedWorkers == [1])
    }

    @Test func exitCodeTwoIsNotRespawnedAndAllFailedExitsNonZero() {
        var machine = self.started(.init(workers: 2, heartbeatTimeout: nil))
        let first = machine.childExited(pid: 100, termination: .exited(2), now: at(1))
        #expect(first.logs == ["Worker 1 startup failed, not respawning"])
        #expect(first.exitCode == nil)
        let second = machine.childExited(pid: 101, termination: .exited(2), now: at(1))
        #expect(second.exitCode == 1)
        #expect(second.logs.last == "All workers failed at startup (exit status 2); exiting")
    }

    @Test func ttinAddsTheNextNumberAndTtouRetiresTheHighestButNeverTheLast() {
        var machine = self.started(.init(workers: 1, heartbeatTimeout: nil))
        let grow = machine.grow(now: at(1))
        #expect(grow.spawnedWorkers == [2])
        #expect(grow.logs == ["Received TTIN, spawning worker 2 (total: 2)"])
        _ = machine.spawned(worker: 2, pid: 200, now: at(1))
        let shrink = machine.shrink(now: at(2))
        #expect(shrink.signals.map(\.0) == [200])
        #expect(shrink.logs == ["Received TTOU, killing worker (remaining: 1)"])
        #expect(machine.shrink(now: at(3)).isEmpty)
        // The retired worker is not respawned.
        #expect(machine.childExited(pid: 200, termination: .exited(0), now: at(4)).spawnedWorkers.isEmpty)
    }

    @Test func hupReplacesOneWorkerAtATimeAndStopsTheOldOneOnlyWhenTheNewOneIsUp() {
        var machine = self.started(.init(workers: 2, heartbeatTimeout: nil, readyAfter: .seconds(1)))
        let hup = machine.rollingRestart(now: at(10))
        #expect(hup.spawnedWorkers == [1])
        #expect(hup.signals.isEmpty)
        _ = machine.spawned(worker: 1, pid: 300, now: at(10))
        #expect(machine.tick(now: at(10.5)).signals.isEmpty)
        let up = machine.tick(now: at(11))
        #expect(up.signals.map(\.0) == [100])
        #expect(up.signals.map(\.1) == [.terminate])
        let oldGone = machine.childExited(pid: 100, termination: .exited(0), now: at(11.2))
        #expect(oldGone.spawnedWorkers == [2])
        _ = machine.spawned(worker: 2, pid: 301, now: at(11.2))
        #expect(machine.tick(now: at(12.2)).signals.map(\.0) == [101])
    }

    @Test func replacementFailingAtStartupKeepsTheOldWorker() {
        var machine = self.started(.init(workers: 1, heartbeatTimeout: nil))
        _ = machine.rollingRestart(now: at(10))
        _ = machine.spawned(worker: 1, pid: 300, now: at(10))
        let failed = machine.childExited(pid: 300, termination: .exited(2), now: at(10.3))
        #expect(failed.signals.isEmpty)
        #expect(machine.livePids == [100])
    }

    @Test func stopEscalatesToKillAfterTheShutdownTimeout() {
        var machine = self.started(.init(workers: 2, shutdownTimeout: .seconds(5), heartbeatTimeout: nil))
        let stop = machine.stop(now: at(1))
        #expect(stop.signals.map(\.1) == [.terminate, .terminate])
        #expect(machine.rollingRestart(now: at(2)).isEmpty)
        #expect(machine.grow(now: at(2)).isEmpty)
        #expect(machine.childExited(pid: 100, termination: .exited(0), now: at(2)).isEmpty)
        #expect(machine.tick(now: at(5.9)).signals.isEmpty)
        let kill = machine.tick(now: at(6))
        #expect(kill.signals.map(\.0) == [101])
        #expect(kill.signals.map(\.1) == [.kill])
        #expect(kill.logs == ["Worker 101 did not exit after 5s, sending SIGKILL"])
        #expect(machine.childExited(pid: 101, termination: .signaled(9), now: at(6)).exitCode == 0)
    }

    @Test func silentWorkerIsKilledAfterTheHeartbeatTimeoutAndStartupHasItsOwnBound() {
        var machine = self.started(.init(workers: 1, heartbeatTimeout: .seconds(50), startupTimeout: .seconds(60)))
        #expect(machine.tick(now: at(55)).signals.isEmpty)
        _ = machine.heartbeat(pid: 100, now: at(55))
        #expect(machine.nextDeadline == at(105))
        #expect(machine.tick(now: at(104)).signals.isEmpty)
        let timeout = machine.tick(now: at(105))
        #expect(timeout.signals.map(\.1) == [.kill])
        #expect(timeout.logs == ["Worker 100 (worker 1) heartbeat timeout after 50s, sending SIGKILL"])
        #expect(machine.childExited(pid: 100, termination: .signaled(9), now: at(105)).spawnedWorkers == [1])
    }

    @Test func startupWithoutAnyHeartbeatIsBoundedByStartupTimeout() {
        var machine = self.started(.init(workers: 1, heartbeatTimeout: .seconds(10), startupTimeout: .seconds(30)))
        #expect(machine.tick(now: at(29)).signals.isEmpty)
        #expect(machine.tick(now: at(30)).signals.map(\.1) == [.kill])
    }

    @Test func usr2IsRefusedWhileInProgressAndAllowedAgainAfterTheNewMasterDies() {
        var machine = self.started(.init(workers: 1, heartbeatTimeout: nil))
        #expect(machine.hotRestartRequested(now: at(1)) == [.spawnNewMaster])
        _ = machine.newMasterSpawned(pid: 900, now: at(1))
        #expect(machine.hotRestartRequested(now: at(2)).logs == ["Hot restart already in progress, ignoring USR2"])
        let died = machine.childExited(pid: 900, termination: .exited(1), now: at(3))
        #expect(died.logs.first?.contains("still serving") == true)
        #expect(machine.hotRestartRequested(now: at(4)) == [.spawnNewMaster])
    }

    @Test func stopDuringHotRestartKeepsTheListeners() {
        var machine = self.started(.init(workers: 1, heartbeatTimeout: nil))
        _ = machine.hotRestartRequested(now: at(1))
        _ = machine.newMasterSpawned(pid: 900, now: at(1))
        _ = machine.stop(now: at(5))
        #expect(machine.childExited(pid: 100, termination: .exited(0), now: at(6)) == [.exit(code: 0, keepListeners: true)])
    }

    @Test func newMasterRetiresTheOldOneOnceEveryWorkerIsUp() {
        var machine = self.started(.init(workers: 2, heartbeatTimeout: .seconds(50)), oldMaster: 42)
        #expect(machine.heartbeat(pid: 100, now: at(1)).signals.isEmpty)
        let all = machine.heartbeat(pid: 101, now: at(2))
        #expect(all.signals.map(\.0) == [42])
        #expect(all.logs == ["Hot restart: 2 workers healthy, sending SIGTERM to old master 42"])
    }

    @Test func newMasterWithoutHealthyWorkersLeavesTheOldOneServing() {
        var machine = self.started(.init(workers: 1, heartbeatTimeout: .seconds(50), hotRestartGrace: .seconds(26)), oldMaster: 42)
        let deadline = machine.tick(now: at(26))
        #expect(deadline.signals.isEmpty)
        #expect(deadline.logs == ["Hot restart: no workers running, not retiring old master 42"])
    }

    @Test func requestBudgetStaysWithinItsBounds() {
        let budget = RequestBudget(minimum: 5, maximum: 8)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 { #expect((5...8).contains(budget.draw(using: &generator))) }
        #expect(RequestBudget(minimum: 50, maximum: 8).minimum == 8)
        #expect(RequestBudget(minimum: 0, maximum: 8).minimum == 1)
    }
}
