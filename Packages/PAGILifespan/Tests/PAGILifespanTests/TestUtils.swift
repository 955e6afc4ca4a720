import PAGI
import Synchronization
import Testing

@testable import PAGILifespan

/// A clock that only moves when a test calls ``advance(by:)``.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: self.offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - self.offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Sleeper] = []
        var sleepsStarted = 0
        var sleepWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    var now: Instant { self.state.withLock { $0.now } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = self.state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resumeNow, waiters) = self.state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                    if Task.isCancelled || deadline <= state.now { return (true, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    state.sleepsStarted += 1
                    let count = state.sleepsStarted
                    let ready = state.sleepWaiters.filter { $0.count <= count }.map(\.continuation)
                    state.sleepWaiters.removeAll { $0.count <= count }
                    return (false, ready)
                }
                waiters.forEach { $0.resume() }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let sleeper = self.state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward, waking every sleeper whose deadline has passed.
    func advance(by duration: Duration) {
        let due = self.state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        due.forEach { $0.continuation.resume() }
    }

    /// Returns once `count` sleeps have started in total (the driver armed its timer).
    func waitForSleeps(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = self.state.withLock { state -> Bool in
                if state.sleepsStarted >= count { return true }
                state.sleepWaiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// Records the driver's log lines; tests can await a line.
final class LogRecorder: Sendable {
    private struct State {
        var lines: [(PAGILifespanLogLevel, String)] = []
        var waiters: [(prefix: String, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    var handler: PAGILifespanLogHandler {
        { level, line in
            let ready = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.lines.append((level, line))
                let ready = state.waiters.filter { line.hasPrefix($0.prefix) }.map(\.continuation)
                state.waiters.removeAll { line.hasPrefix($0.prefix) }
                return ready
            }
            ready.forEach { $0.resume() }
        }
    }

    var lines: [(PAGILifespanLogLevel, String)] { self.state.withLock { $0.lines } }

    func contains(_ level: PAGILifespanLogLevel, _ line: String) -> Bool {
        self.lines.contains { $0.0 == level && $0.1 == line }
    }

    /// Returns once a line starting with `prefix` was logged.
    func waitForLine(startingWith prefix: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = self.state.withLock { state -> Bool in
                if state.lines.contains(where: { $0.1.hasPrefix(prefix) }) { return true }
                state.waiters.append((prefix, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// What a scripted lifespan application observed, in order.
enum Observation: Sendable, Equatable {
    case scope(isWorker: Bool?, workerNumber: Int?)
    case received(PAGIInboundEvent)
    case receiveThrewCancellation
    case receiveThrew(String)
    case sendThrew(PAGIEventError)
    case sendReturned(String)
}

/// A stream of the application's observations that tests read one at a time.
final class Observations: Sendable {
    let stream: AsyncStream<Observation>
    private let continuation: AsyncStream<Observation>.Continuation

    init() {
        (self.stream, self.continuation) = AsyncStream.makeStream()
    }

    func record(_ observation: Observation) {
        self.continuation.yield(observation)
    }

    /// Receives and records one event; cancellation and errors become observations.
    func receive(_ receive: PAGIReceive) async -> PAGIInboundEvent? {
        do {
            let event = try await receive()
            self.record(.received(event))
            return event
        } catch is CancellationError {
            self.record(.receiveThrewCancellation)
            return nil
        } catch {
            self.record(.receiveThrew(String(describing: error)))
            return nil
        }
    }

    /// Sends one event and records whether the send threw.
    func send(_ event: PAGIOutboundEvent, _ send: PAGISend) async {
        do {
            try await send(event)
            self.record(.sendReturned(event.type))
        } catch let error as PAGIEventError {
            self.record(.sendThrew(error))
        } catch {
            Issue.record("send threw an unexpected \(type(of: error)): \(error)")
        }
    }
}

extension AsyncStream<Observation>.Iterator {
    /// The next `count` observations (fewer if the stream ends).
    mutating func take(_ count: Int) async -> [Observation] {
        var result: [Observation] = []
        while result.count < count, let next = await self.next() {
            result.append(next)
        }
        return result
    }
}

func makeDriver(
    _ app: @escaping PAGIApp,
    clock: ManualClock,
    log: LogRecorder,
    scope: LifespanScope = LifespanScope(isWorker: false)
) -> PAGILifespanDriver<ManualClock> {
    PAGILifespanDriver(app: app, scope: scope, configuration: PAGILifespanConfiguration(), clock: clock, log: log.handler)
}

