import PAGI
import Synchronization
import Testing

@testable import PAGILifespan

/// An error a scripted application throws.
struct ScriptedError: Error, CustomStringConvertible {
    var description: String { "scripted failure" }
}

@Suite struct PAGILifespanDriverTests {
    let clock = ManualClock()
    let log = LogRecorder()
    let observations = Observations()

    /// The well-behaved application: startup, fill state, wait, shutdown.
    private func cooperativeApp() -> PAGIApp {
        let observations = self.observations
        return { scope, receive, send in
            guard case .lifespan(let lifespan) = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            observations.record(.scope(isWorker: lifespan.isWorker, workerNumber: lifespan.workerNumber))
            guard await observations.receive(receive) == .lifespanStartup else { return }
            lifespan.state["test.pool"] = "ready"
            await observations.send(.lifespanStartupComplete, send)
            guard await observations.receive(receive) == .lifespanShutdown else { return }
            await observations.send(.lifespanShutdownComplete, send)
        }
    }

    @Test func startupAndShutdownComplete() async throws {
        let driver = makeDriver(self.cooperativeApp(), clock: self.clock, log: self.log)
        var events = self.observations.stream.makeAsyncIterator()
        #expect(try await driver.startup() == .started)
        #expect(
            await events.take(3) == [
                .scope(isWorker: false, workerNumber: nil), .received(.lifespanStartup), .sendReturned("lifespan.startup.complete"),
            ]
        )
        #expect(driver.requestState()["test.pool"] as? String == "ready")
        #expect(await driver.shutdown() == .completed)
        #expect(await events.take(2) == [.received(.lifespanShutdown), .sendReturned("lifespan.shutdown.complete")])
        #expect(self.log.lines.allSatisfy { $0.0 == .debug })
    }

    @Test func workerScopeKeysReachTheApplication() async throws {
        let driver = makeDriver(
            self.cooperativeApp(),
            clock: self.clock,
            log: self.log,
            scope: LifespanScope(isWorker: true, workerNumber: 3)
        )
        var events = self.observations.stream.makeAsyncIterator()
        _ = try await driver.startup()
        #expect(await events.take(1) == [.scope(isWorker: true, workerNumber: 3)])
        await driver.shutdown()
    }

    @Test func requestStateIsAShallowSnapshot() async throws {
        final class Counter: Sendable {}
        let shared = Counter()
        let driver = makeDriver(
            { scope, receive, send in
                guard case .lifespan(let lifespan) = scope else { return }
                _ = try await receive()
                lifespan.state["shared"] = shared
                try await send(.lifespanStartupComplete)
                _ = try await receive()
                try await send(.lifespanShutdownComplete)
            },
            clock: self.clock,
            log: self.log
        )
        _ = try await driver.startup()
        var first = driver.requestState()
        first["private"] = 1
        driver.state["later"] = 2
        #expect((first["shared"] as? Counter) === shared)
        #expect(first["later"] == nil)
        #expect(driver.requestState()["private"] == nil)
        #expect(driver.requestState()["later"] as? Int == 2)
        await driver.shutdown()
    }

    @Test func applicationThrowingOnLifespanMeansUnsupported() async throws {
        let driver = makeDriver(httpOnlyApp, clock: self.clock, log: self.log)
        #expect(try await driver.startup() == .unsupported)
        #expect(self.log.contains(.info, "Lifespan not supported, continuing without it"))
        #expect(await driver.shutdown() == .notApplicable)
    }

    @Test func applicationReturningWithoutSignalMeansUnsupported() async throws {
        let observations = self.observations
        let driver = makeDriver(
            { _, receive, _ in _ = await observations.receive(receive) },
            clock: self.clock,
            log: self.log
        )
        var events = observations.stream.makeAsyncIterator()
        #expect(try await driver.startup() == .unsupported)
        #expect(await events.take(1) == [.received(.lifespanStartup)])
        #expect(self.log.contains(.info, "Lifespan not supported, continuing without it"))
        #expect(await driver.shutdown() == .notApplicable)
    }

    @Test func startupFailedThrowsTheMessageAndCancelsTheApplication() async throws {
        let observations = self.observations
        let driver = makeDriver(
            { _, receive, send in
                _ = await observations.receive(receive)
                await observations.send(.lifespanStartupFailed(message: "database unreachable"), send)
                _ = await observations.receive(receive)
            },
            clock: self.clock,
            log: self.log
        )
        var events = observations.stream.makeAsyncIterator()
        await #expect(throws: PAGILifespanError.startupFailed(message: "database unreachable")) {
            try await driver.startup()
        }
        #expect(String(describing: PAGILifespanError.startupFailed(message: "database unreachable")) == "Lifespan startup failed: database unreachable")
        #expect(self.log.contains(.error, "PAGI Server startup failed: database unreachable"))
        #expect(
            await events.take(3) == [
                .received(.lifespanStartup), .sendReturned("lifespan.startup.failed"), .receiveThrewCancellation,
            ]
        )
        #expect(await driver.shutdown() == .notApplicable)
    }

    @Test func startupTimesOutExactlyAtTheConfiguredBound() async throws {
        let observations = self.observations
        let driver = makeDriver(
            { _, receive, _ in
                _ = await observations.receive(receive)
                _ = await observations.receive(receive)  // hangs: never signals
            },
            clock: self.clock,
            log: self.log
        )
        var events = observations.stream.makeAsyncIterator()
        let startup = Task { try await driver.startup() }
        await self.clock.waitForSleeps(1)
        #expect(await events.take(1) == [.received(.lifespanStartup)])
        self.clock.advance(by: .seconds(60) - .milliseconds(1))
        #expect(driver.conversationState == .startingUp(delivered: true))
        self.clock.advance(by: .milliseconds(1))
        await #expect(throws: PAGILifespanError.startupTimedOut(after: .seconds(60))) {
            try await startup.value
        }
        #expect(await events.take(1) == [.receiveThrewCancellation])
        #expect(self.log.lines.contains { $0.0 == .error && $0.1.hasPrefix("PAGI Server startup failed: Lifespan startup timed out after 60s") })
        #expect(await driver.shutdown() == .notApplicable)
    }

    @Test func startupTimeoutIsConfigurable() async throws {
        let driver = PAGILifespanDriver(
            app: { _, receive, _ in _ = try await receive(); _ = try await receive() },
            configuration: PAGILifespanConfiguration(startupTimeout: .milliseconds(250)),
            clock: self.clock,
            log: self.log.handler
        )
        let startup = Task { try await driver.startup() }
        await self.clock.waitForSleeps(1)
        self.clock.advance(by: .milliseconds(250))
        await #expect(throws: PAGILifespanError.startupTimedOut(after: .milliseconds(250))) {
            try await startup.value
        }
        #expect(String(describing: PAGILifespanError.startupTimedOut(after: .milliseconds(250))).hasPrefix("Lifespan startup timed out after 0.25s"))
    }

    @Test func cancellingStartupThrowsCancelled() async throws {
        let driver = makeDriver({ _, receive, _ in _ = try await receive(); _ = try await receive() }, clock: self.clock, log: self.log)
        let startup = Task { try await driver.startup() }
        await self.clock.waitForSleeps(1)
        startup.cancel()
        await #expect(throws: PAGILifespanError.startupCancelled) {
            try await startup.value
        }
    }

    @Test func startupOnACancelledTaskThrowsAtOnce() async throws {
        let driver = makeDriver(self.cooperativeApp(), clock: self.clock, log: self.log)
        let startup = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await driver.startup()
        }
        await #expect(throws: PAGILifespanError.startupCancelled) {
            try await startup.value
        }
    }

    @Test func shutdownFailedIsLoggedAsAWarning() async throws {
        let driver = makeDriver(
            { _, receive, send in
                _ = try await receive()
                try await send(.lifespanStartupComplete)
                _ = try await receive()
                try await send(.lifespanShutdownFailed(message: "could not flush"))
            },
            clock: self.clock,
            log: self.log
        )
        _ = try await driver.startup()
        #expect(await driver.shutdown() == .failed(message: "could not flush"))
        #expect(self.log.contains(.warning, "PAGI Server shutdown warning: could not flush"))
    }

    @Test func shutdownTimesOutAtTheConfiguredBoundAndLaterSendsAreIgnored() async throws {
        let observations = self.observations
        let driver = makeDriver(
            { _, receive, send in
                _ = try await receive()
                try await send(.lifespanStartupComplete)
                _ = await observations.receive(receive)
                _ = await observations.receive(receive)  // hangs until cancelled
                await observations.send(.lifespanShutdownComplete, send)  // too late
            },
            clock: self.clock,
            log: self.log
        )
        var events = observations.stream.makeAsyncIterator()
        _ = try await driver.startup()
        let shutdown = Task { await driver.shutdown() }
        #expect(await events.take(1) == [.received(.lifespanShutdown)])
        await self.clock.waitForSleeps(2)  // the startup timer was the first
        self.clock.advance(by: .seconds(30) - .nanoseconds(1))
        #expect(driver.conversationState == .shuttingDown(delivered: true))
        self.clock.advance(by: .nanoseconds(1))
        #expect(await shutdown.value == .timedOut)
        #expect(self.log.contains(.warning, "PAGI Server shutdown warning: Lifespan shutdown timed out after 30s"))
        #expect(await events.take(2) == [.receiveThrewCancellation, .sendReturned("lifespan.shutdown.complete")])
    }

    @Test func cancellingShutdownStopsWaitingAndCancelsTheApplication() async throws {
        let observations = self.observations
        let driver = makeDriver(
            { _, receive, send in
                _ = try await receive()
                try await send(.lifespanStartupComplete)
                _ = await observations.receive(receive)
                _ = await observations.receive(receive)  // hangs until cancelled
            },
            clock: self.clock,
            log: self.log
        )
        var events = observations.stream.makeAsyncIterator()
        _ = try await driver.startup()
        let shutdown = Task { await driver.shutdown() }
        #expect(await events.take(1) == [.received(.lifespanShutdown)])
        await self.clock.waitForSleeps(2)
        shutdown.cancel()
        #expect(await shutdown.value == .timedOut)
        #expect(await events.take(1) == [.receiveThrewCancellation])
        #expect(self.log.lines.contains { $0.0 == .warning && $0.1.hasPrefix("PAGI Server shutdown warning: lifespan shutdown was cancelled") })
    }

    @Test(arguments: [true, false])
    func applicationEndingDuringShutdownEndsItWithAWarning(_ throwing: Bool) async throws {
        let driver = makeDriver(
            { _, receive, send in
                _ = try await receive()
                try await send(.lifespanStartupComplete)
                _ = try await receive()
                if throwing { throw ScriptedError() }
            },
            clock: self.clock,
            log: self.log
        )
        _ = try await driver.startup()
        let outcome = await driver.shutdown()
        let expected =
            throwing
            ? "the application threw (scripted failure) on the lifespan scope without sending lifespan.shutdown.complete"
            : "the application returned on the lifespan scope without sending lifespan.shutdown.complete"
        #expect(outcome == .applicationEnded(message: expected))
        #expect(self.log.contains(.warning, "PAGI Server shutdown warning: \(expected)"))
    }

    @Test func crashAfterStartupIsLoggedAndShutdownDoesNotWait() async throws {
        let driver = makeDriver(
            { _, receive, send in
                _ = try await receive()
                try await send(.lifespanStartupComplete)
                throw ScriptedError()
            },
            clock: self.clock,
            log: self.log
        )
        _ = try await driver.startup()
        await self.log.waitForLine(startingWith: "PAGI application error (lifespan, after startup)")
        #expect(self.log.contains(.error, "PAGI application error (lifespan, after startup): scripted failure"))
        #expect(await driver.shutdown() == .notApplicable)
    }

    @Test func returnAfterStartupIsAWarning() async throws {
        let driver = makeDriver(
            { _, receive, send in
                _ = try await receive()
                try await send(.lifespanStartupComplete)
            },
            clock: self.clock,
            log: self.log
        )
        _ = try await driver.startup()
        await self.log.waitForLine(startingWith: "The lifespan application returned")
        #expect(self.log.lines.contains { $0.0 == .warning && $0.1.hasPrefix("The lifespan application returned after lifespan.startup.complete") })
        #expect(await driver.shutdown() == .notApplicable)
    }

    @Test func nonLifespanEventsFailTheSend() async throws {
        let observations = self.observations
        let driver = makeDriver(
            { _, receive, send in
                _ = try await receive()
                await observations.send(.httpResponseStart(status: 200), send)
                await observations.send(.custom(PAGICustomEvent(type: "myapp.ping")), send)
                await observations.send(.lifespanStartupComplete, send)
                _ = try await receive()
                try await send(.lifespanShutdownComplete)
            },
            clock: self.clock,
            log: self.log
        )
        var events = observations.stream.makeAsyncIterator()
        _ = try await driver.startup()
        let seen = await events.take(3)
        #expect(seen.count == 3)
        guard case .sendThrew(let first) = seen[0], case .sendThrew(let second) = seen[1] else {
            Issue.record("non-lifespan events were accepted: \(seen)")
            return
        }
        #expect(first.code == .unrecognizedEventType)
        #expect(first.message == "Unrecognized event type 'http.response.start' for lifespan protocol")
        #expect(second.code == .unrecognizedEventType)
        #expect(seen[2] == .sendReturned("lifespan.startup.complete"))
        #expect(await driver.shutdown() == .completed)
    }

    @Test func outOfOrderSignalsFailTheSendAndChangeNothing() async throws {
        let observations = self.observations
        let driver = makeDriver(
            { _, receive, send in
                _ = try await receive()
                await observations.send(.lifespanShutdownComplete, send)
                await observations.send(.lifespanStartupComplete, send)
                await observations.send(.lifespanStartupComplete, send)
                _ = try await receive()
                try await send(.lifespanShutdownComplete)
            },
            clock: self.clock,
            log: self.log
        )
        var events = observations.stream.makeAsyncIterator()
        #expect(try await driver.startup() == .started)
        let seen = await events.take(3)
        guard case .sendThrew(let early) = seen[0], case .sendThrew(let twice) = seen[2] else {
            Issue.record("out-of-order signals were accepted: \(seen)")
            return
        }
        #expect(early.code == .invalidState)
        #expect(early.eventType == "lifespan.shutdown.complete")
        #expect(seen[1] == .sendReturned("lifespan.startup.complete"))
        #expect(twice.code == .invalidState)
        #expect(await driver.shutdown() == .completed)
    }

    @Test func applicationRunsOnTheGivenExecutor() async throws {
        final class CountingExecutor: TaskExecutor, @unchecked Sendable {
            // Only touched through the atomic below; the class holds no other state.
            let jobs = Atomic<Int>(0)
            func enqueue(_ job: consuming ExecutorJob) {
                self.jobs.add(1, ordering: .relaxed)
                job.runSynchronously(on: self.asUnownedTaskExecutor())
            }
        }
        let executor = CountingExecutor()
        let driver = PAGILifespanDriver(app: self.cooperativeApp(), clock: self.clock, executor: executor, log: self.log.handler)
        _ = try await driver.startup()
        await driver.shutdown()
        #expect(executor.jobs.load(ordering: .relaxed) > 0)
    }
}

/// An application that handles only http scopes, like every built-in app.
let httpOnlyApp: PAGIApp = { scope, _, _ in
    guard case .http = scope else { throw PAGIUnsupportedScopeError(scope.type) }
}
