import PAGI
import Testing

@testable import PAGILifespan

@Suite struct LifespanStateMachineTests {
    private func started() -> LifespanStateMachine {
        var machine = LifespanStateMachine()
        machine.startupRequested()
        return machine
    }

    private func running() -> LifespanStateMachine {
        var machine = self.started()
        _ = machine.receive()
        _ = machine.signalReceived(.startupComplete)
        return machine
    }

    @Test func startupEventIsQueuedBeforeTheFirstReceive() {
        var machine = self.started()
        #expect(machine.receive() == .deliver(.lifespanStartup))
        #expect(machine.receive() == .suspend)
        #expect(machine.receive() == .rejectConcurrentReceive)
    }

    @Test func startupCompleteResolvesStartup() {
        var machine = self.started()
        _ = machine.receive()
        #expect(machine.signalReceived(.startupComplete) == .resolveStartup(.started, cancelApp: false))
        #expect(machine.state == .running)
    }

    @Test func startupFailedResolvesStartupAndCancelsTheApp() {
        var machine = self.started()
        #expect(machine.signalReceived(.startupFailed("db down")) == .resolveStartup(.failed("db down"), cancelApp: true))
        #expect(machine.state == .finished(.startupFailed))
        #expect(machine.signalReceived(.startupComplete) == .ignore)
    }

    @Test(arguments: [LifespanStateMachine.AppEnding.returned, .threw("boom")])
    func appEndingDuringStartupMeansUnsupported(_ ending: LifespanStateMachine.AppEnding) {
        var machine = self.started()
        #expect(machine.applicationEnded(ending) == .resolveStartup(.unsupported(ending)))
        #expect(machine.shutdownRequested() == .skip)
    }

    @Test func shutdownHandsTheEventToAParkedReceive() {
        var machine = self.running()
        #expect(machine.receive() == .suspend)
        #expect(machine.shutdownRequested() == .awaitApplication(resumeReceiver: true))
        #expect(machine.receive() == .suspend)
        #expect(machine.signalReceived(.shutdownComplete) == .resolveShutdown(.completed))
        #expect(machine.state == .finished(.shutDown))
    }

    @Test func shutdownIsQueuedWhenNoReceiveIsParked() {
        var machine = self.running()
        #expect(machine.shutdownRequested() == .awaitApplication(resumeReceiver: false))
        #expect(machine.receive() == .deliver(.lifespanShutdown))
        #expect(machine.signalReceived(.shutdownFailed("flush failed")) == .resolveShutdown(.failed("flush failed")))
    }

    @Test func outOfOrderSignalsAreRejectedWithoutChangingState() {
        var machine = self.started()
        guard case .reject(let early) = machine.signalReceived(.shutdownComplete) else {
            Issue.record("shutdown.complete during startup was not rejected")
            return
        }
        #expect(early.code == .invalidState)
        #expect(machine.state == .startingUp(delivered: false))

        machine = self.running()
        guard case .reject(let twice) = machine.signalReceived(.startupComplete) else {
            Issue.record("a second startup.complete was not rejected")
            return
        }
        #expect(twice.code == .invalidState)
        guard case .reject = machine.signalReceived(.shutdownFailed("x")) else {
            Issue.record("shutdown.failed before lifespan.shutdown was not rejected")
            return
        }
        _ = machine.shutdownRequested()
        guard case .reject = machine.signalReceived(.startupFailed("late")) else {
            Issue.record("startup.failed during shutdown was not rejected")
            return
        }
        #expect(machine.state == .shuttingDown(delivered: false))
    }

    @Test func timeoutsResolveOnlyTheirOwnPhase() {
        var machine = self.started()
        #expect(machine.abandoned(.shutdown, timedOut: true) == .none)
        #expect(machine.abandoned(.startup, timedOut: true) == .resolveStartup(.timedOut))
        #expect(machine.abandoned(.startup, timedOut: true) == .none)
        #expect(machine.signalReceived(.startupComplete) == .ignore)

        machine = self.running()
        _ = machine.shutdownRequested()
        #expect(machine.abandoned(.shutdown, timedOut: false) == .resolveShutdown(.cancelled))
        #expect(machine.signalReceived(.shutdownComplete) == .ignore)
    }

    @Test func appEndingAfterStartupIsReportedAndSkipsShutdown() {
        var machine = self.running()
        #expect(machine.applicationEnded(.threw("crash")) == .reportEndAfterStartup(.threw("crash")))
        #expect(machine.shutdownRequested() == .skip)
    }

    @Test func appEndingDuringShutdownResolvesIt() {
        var machine = self.running()
        _ = machine.shutdownRequested()
        #expect(machine.applicationEnded(.returned) == .resolveShutdown(.appEnded(.returned)))
    }

    @Test func cancelledParkedReceiveCanBeParkedAgain() {
        var machine = self.running()
        #expect(machine.receive() == .suspend)
        machine.parkedReceiveCancelled()
        #expect(machine.receive() == .suspend)
    }

    @Test func shutdownBeforeStartupIsSkipped() {
        var machine = LifespanStateMachine()
        #expect(machine.shutdownRequested() == .skip)
    }
}
