import Synchronization

/// `pagi.connection`: the per-request connection-state handle of an http scope (protocol §6).
///
/// It reports one of two endings: an abnormal disconnect (``disconnectReason`` and the
/// ``onDisconnect(_:)`` callbacks) or a successful completion (``onComplete(_:)`` callbacks).
/// Exactly one of them happens per request, and once it happened it never changes.
///
/// Applications read it; the server drives it with ``markResponseStarted()``,
/// ``markResponseComplete()`` and ``markDisconnected(_:)``. Reads are synchronous and safe from
/// any task.
public final class PAGIConnectionState: Sendable {
    private struct State {
        enum Phase {
            case open
            case completed
            case disconnected(PAGIDisconnectReason)
        }
        var phase: Phase = .open
        var responseStarted = false
        var disconnectCallbacks: [@Sendable (PAGIDisconnectReason) -> Void] = []
        var completeCallbacks: [@Sendable () -> Void] = []
        var waiters: [CheckedContinuation<PAGIDisconnectReason, any Error>] = []
    }

    private let state = Mutex(State())

    /// Creates the handle of a new request, open and with no response started.
    public init() {}

    /// Whether the connection is still open. Once `false` it never returns to `true`.
    public var isConnected: Bool {
        self.state.withLock {
            if case .open = $0.phase { return true }
            return false
        }
    }

    /// The abnormal disconnect reason; `nil` while open and after a successful completion.
    public var disconnectReason: PAGIDisconnectReason? {
        self.state.withLock {
            if case .disconnected(let reason) = $0.phase { return reason }
            return nil
        }
    }

    /// Whether `http.response.start` was processed for this request, by anyone.
    public var responseStarted: Bool {
        self.state.withLock { $0.responseStarted }
    }

    /// Whether the response was fully delivered (final body, file, or trailers).
    ///
    /// Never `nil` here: this server tracks completion. The optional keeps the protocol's shape,
    /// where `nil` means "not tracked".
    public var responseComplete: Bool? {
        self.state.withLock {
            if case .completed = $0.phase { return true }
            return false
        }
    }

    /// Registers a callback for an abnormal disconnect; it runs at once if that already happened.
    ///
    /// Callbacks run in registration order, never on a successful completion.
    /// - Parameter callback: Receives the disconnect reason.
    public func onDisconnect(_ callback: @escaping @Sendable (PAGIDisconnectReason) -> Void) {
        let reason: PAGIDisconnectReason? = self.state.withLock {
            switch $0.phase {
            case .open:
                $0.disconnectCallbacks.append(callback)
                return nil
            case .completed:
                return nil
            case .disconnected(let reason):
                return reason
            }
        }
        if let reason { callback(reason) }
    }

    /// Registers a callback for a successful completion; it runs at once if that already happened.
    ///
    /// Callbacks run in registration order, never on an abnormal disconnect.
    /// - Parameter callback: Called once the response was fully delivered.
    public func onComplete(_ callback: @escaping @Sendable () -> Void) {
        let runNow: Bool = self.state.withLock {
            switch $0.phase {
            case .open:
                $0.completeCallbacks.append(callback)
                return false
            case .completed:
                return true
            case .disconnected:
                return false
            }
        }
        if runNow { callback() }
    }

    /// Suspends until an abnormal disconnect and returns its reason (`disconnect_future`).
    ///
    /// It never returns after a successful completion: cancel the waiting task to stop waiting.
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    public func disconnected() async throws -> PAGIDisconnectReason {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let reason: PAGIDisconnectReason? = self.state.withLock {
                    if case .disconnected(let reason) = $0.phase { return reason }
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                        return nil
                    }
                    $0.waiters.append(continuation)
                    return nil
                }
                if let reason { continuation.resume(returning: reason) }
            }
        } onCancel: {
            let waiters = self.state.withLock {
                let waiters = $0.waiters
                $0.waiters = []
                return waiters
            }
            for waiter in waiters { waiter.resume(throwing: CancellationError()) }
        }
    }

    // MARK: Server side

    /// Records that `http.response.start` was processed (server use).
    public func markResponseStarted() {
        self.state.withLock { $0.responseStarted = true }
    }

    /// Records the successful completion and runs the completion callbacks (server use).
    ///
    /// Does nothing if the request already ended either way.
    public func markResponseComplete() {
        let callbacks: [@Sendable () -> Void] = self.state.withLock {
            guard case .open = $0.phase else { return [] }
            $0.phase = .completed
            let callbacks = $0.completeCallbacks
            $0.completeCallbacks = []
            $0.disconnectCallbacks = []
            return callbacks
        }
        for callback in callbacks { callback() }
    }

    /// Records an abnormal disconnect (server use), in the order protocol §6.4 requires:
    /// the connection reads as closed, the reason is set, waiters resume, then callbacks run.
    /// The server queues `http.disconnect` after this returns.
    ///
    /// Does nothing if the request already ended either way.
    /// - Parameter reason: Why the connection ended.
    public func markDisconnected(_ reason: PAGIDisconnectReason) {
        let (callbacks, waiters) = self.state.withLock { state -> ([@Sendable (PAGIDisconnectReason) -> Void], [CheckedContinuation<PAGIDisconnectReason, any Error>]) in
            guard case .open = state.phase else { return ([], []) }
            state.phase = .disconnected(reason)
            defer {
                state.disconnectCallbacks = []
                state.completeCallbacks = []
                state.waiters = []
            }
            return (state.disconnectCallbacks, state.waiters)
        }
        for waiter in waiters { waiter.resume(returning: reason) }
        for callback in callbacks { callback(reason) }
    }
}
