import Synchronization

extension PAGIServer {
    /// Waits until ``run()`` has bound every listener and returns the bound addresses (real port
    /// numbers for port `0`); returns at once when that already happened.
    ///
    /// Meant for code that starts the server somewhere it cannot pass `onReady` — a `ServiceGroup`,
    /// a test — and then needs to connect to it.
    /// - Throws: The error ``run()`` ended with when it ended without binding (a
    ///   ``PAGIServerConfigurationError``, or a ``PAGIServerError`` when the lifespan startup failed
    ///   or a listener could not be bound); `CancellationError` when the waiting task is cancelled.
    public func waitUntilListening() async throws -> [PAGIListenAddress] {
        try await self.listening.wait()
    }
}

/// A one-shot "the listeners are bound" (or "the run ended before binding") notice that any number
/// of tasks can await, before or after it happened.
final class ListeningSignal: Sendable {
    private struct State {
        var outcome: Result<[PAGIListenAddress], any Error>?
        var nextWaiterID = 0
        var waiters: [Int: CheckedContinuation<[PAGIListenAddress], any Error>] = [:]
    }

    private let state = Mutex(State())

    /// Records the outcome once; later calls are ignored. Resumes every waiter.
    func settle(_ outcome: Result<[PAGIListenAddress], any Error>) {
        let waiters: [CheckedContinuation<[PAGIListenAddress], any Error>] = self.state.withLock { state in
            guard state.outcome == nil else { return [] }
            state.outcome = outcome
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(with: outcome) }
    }

    func wait() async throws -> [PAGIListenAddress] {
        let id = self.state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[PAGIListenAddress], any Error>) in
                let now: Result<[PAGIListenAddress], any Error>? = self.state.withLock { state in
                    if let outcome = state.outcome { return outcome }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(with: now) }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
