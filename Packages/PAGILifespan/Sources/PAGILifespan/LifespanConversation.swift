import PAGI
import Synchronization

/// Owns the ``LifespanStateMachine`` and performs its actions: parks and resumes the
/// application's `receive`, resumes the driver's phase waits, cancels the application task.
///
/// Every machine step and the continuation bookkeeping it implies happen under one lock; the
/// continuations are resumed after the lock is released so that a resumed task can never re-enter
/// it while held.
final class LifespanConversation: Sendable {
    private struct Storage: ~Copyable {
        var machine = LifespanStateMachine()
        var parkedReceiver: CheckedContinuation<PAGIInboundEvent, any Error>?
        var startupWaiter: CheckedContinuation<LifespanStateMachine.StartupResult, Never>?
        var shutdownWaiter: CheckedContinuation<LifespanStateMachine.ShutdownResult, Never>?
        /// A phase's result, kept for a waiter that parks after it was resolved.
        var startupResult: LifespanStateMachine.StartupResult?
        var shutdownResult: LifespanStateMachine.ShutdownResult?
        var appTask: Task<Void, Never>?
        /// Set when cancellation was asked for before the task handle was stored.
        var appCancelRequested = false
    }

    private let storage = Mutex(Storage())

    /// The state, for tests and diagnostics.
    var state: LifespanStateMachine.State {
        self.storage.withLock { $0.machine.state }
    }

    // MARK: Application side

    /// The `receive` handed to the application.
    func receive() async throws -> PAGIInboundEvent {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PAGIInboundEvent, any Error>) in
                let action = self.storage.withLock { storage -> LifespanStateMachine.ReceiveAction? in
                    // Checked under the lock: a cancellation whose handler ran before this
                    // continuation was parked would otherwise leave the receive hanging.
                    if Task.isCancelled { return nil }
                    let action = storage.machine.receive()
                    if case .suspend = action {
                        storage.parkedReceiver = continuation
                    }
                    return action
                }
                switch action {
                case .deliver(let event):
                    continuation.resume(returning: event)
                case .suspend:
                    break
                case .rejectConcurrentReceive:
                    continuation.resume(throwing: LifespanReceiveError())
                case nil:
                    continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let parked = self.storage.withLock { storage -> CheckedContinuation<PAGIInboundEvent, any Error>? in
                guard let parked = storage.parkedReceiver else { return nil }
                storage.parkedReceiver = nil
                storage.machine.parkedReceiveCancelled()
                return parked
            }
            parked?.resume(throwing: CancellationError())
        }
    }

    /// The `send` handed to the application.
    func send(_ event: PAGIOutboundEvent) throws(PAGIEventError) {
        try event.validate(for: .lifespan, extensions: PAGIExtensions())
        let signal: LifespanStateMachine.Signal
        switch event {
        case .lifespanStartupComplete: signal = .startupComplete
        case .lifespanStartupFailed(let message): signal = .startupFailed(message)
        case .lifespanShutdownComplete: signal = .shutdownComplete
        case .lifespanShutdownFailed(let message): signal = .shutdownFailed(message)
        case .httpResponseStart, .httpResponseBody, .httpResponseTrailers, .httpFullFlush, .websocketAccept, .websocketSend,
            .websocketKeepalive, .websocketClose, .websocketHTTPResponseStart, .websocketHTTPResponseBody, .sseStart, .sseSend,
            .sseComment, .sseKeepalive, .sseClose, .sseHTTPResponseStart, .sseHTTPResponseBody, .custom:
            // `validate` already refused every event that does not belong to the lifespan scope.
            throw .unrecognized(event.type, scope: .lifespan)
        }
        let action = self.storage.withLock { $0.machine.signalReceived(signal) }
        switch action {
        case .resolveStartup(let result, let cancelApp):
            self.resolveStartup(result)
            if cancelApp { self.cancelApplication() }
        case .resolveShutdown(let result):
            self.resolveShutdown(result)
        case .ignore:
            break
        case .reject(let error):
            throw error
        }
    }

    /// The application's call ended; returns what the driver must log, if anything.
    func applicationEnded(_ ending: LifespanStateMachine.AppEnding) -> LifespanStateMachine.AppEnding? {
        let action = self.storage.withLock { $0.machine.applicationEnded(ending) }
        switch action {
        case .resolveStartup(let result):
            self.resolveStartup(result)
            return nil
        case .resolveShutdown(let result):
            self.resolveShutdown(result)
            return nil
        case .reportEndAfterStartup(let ending):
            return ending
        case .none:
            return nil
        }
    }

    // MARK: Driver side

    /// Queues `lifespan.startup` and starts the application through `launch`.
    ///
    /// The driver starts its timeout only after this returns, so a timeout can never fire before
    /// the phase it bounds exists.
    func beginStartup(launch: () -> Task<Void, Never>) {
        self.storage.withLock { $0.machine.startupRequested() }
        // Launched outside the lock: the task may start at once and call `receive` or `send`.
        let task = launch()
        let cancelNow = self.storage.withLock { storage -> Bool in
            storage.appTask = task
            return storage.appCancelRequested
        }
        if cancelNow { task.cancel() }
    }

    /// Waits until the startup phase is resolved by a signal, the application's end, or
    /// ``abandon(_:timedOut:)``; returns at once when that already happened.
    func awaitStartup() async -> LifespanStateMachine.StartupResult {
        await withCheckedContinuation { continuation in
            let early = self.storage.withLock { storage -> LifespanStateMachine.StartupResult? in
                if let result = storage.startupResult { return result }
                storage.startupWaiter = continuation
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }
    }

    /// Queues `lifespan.shutdown`, handing it straight to a parked `receive`.
    /// - Returns: `false` when there is no conversation to shut down.
    func beginShutdown() -> Bool {
        let (action, receiver) = self.storage.withLock { storage in
            let action = storage.machine.shutdownRequested()
            var receiver: CheckedContinuation<PAGIInboundEvent, any Error>?
            if case .awaitApplication(resumeReceiver: true) = action {
                receiver = storage.parkedReceiver
                storage.parkedReceiver = nil
            }
            return (action, receiver)
        }
        receiver?.resume(returning: .lifespanShutdown)
        switch action {
        case .skip: return false
        case .awaitApplication: return true
        }
    }

    /// Waits until the shutdown phase is resolved; returns at once when that already happened.
    func awaitShutdown() async -> LifespanStateMachine.ShutdownResult {
        await withCheckedContinuation { continuation in
            let early = self.storage.withLock { storage -> LifespanStateMachine.ShutdownResult? in
                if let result = storage.shutdownResult { return result }
                storage.shutdownWaiter = continuation
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }
    }

    /// The driver gave up on a phase because its timeout fired (`timedOut`) or its task was
    /// cancelled; the application task is cancelled if that ended the phase.
    func abandon(_ phase: LifespanStateMachine.Phase, timedOut: Bool) {
        let action = self.storage.withLock { $0.machine.abandoned(phase, timedOut: timedOut) }
        switch action {
        case .resolveStartup(let result):
            self.resolveStartup(result)
            self.cancelApplication()
        case .resolveShutdown(let result):
            self.resolveShutdown(result)
            self.cancelApplication()
        case .none:
            break
        }
    }

    /// Cancels the application task: a parked `receive` throws `CancellationError`.
    func cancelApplication() {
        let task = self.storage.withLock { storage -> Task<Void, Never>? in
            guard let task = storage.appTask else {
                storage.appCancelRequested = true
                return nil
            }
            return task
        }
        task?.cancel()
    }

    private func resolveStartup(_ result: LifespanStateMachine.StartupResult) {
        let waiter = self.storage.withLock { storage in
            // The machine resolves each phase exactly once, so the slot is always empty here.
            storage.startupResult = result
            let waiter = storage.startupWaiter
            storage.startupWaiter = nil
            return waiter
        }
        waiter?.resume(returning: result)
    }

    private func resolveShutdown(_ result: LifespanStateMachine.ShutdownResult) {
        let waiter = self.storage.withLock { storage in
            storage.shutdownResult = result
            let waiter = storage.shutdownWaiter
            storage.shutdownWaiter = nil
            return waiter
        }
        waiter?.resume(returning: result)
    }
}

/// The error a second, concurrent `receive` on the lifespan scope throws.
struct LifespanReceiveError: Error, CustomStringConvertible {
    var description: String {
        "lifespan receive was called while another receive on the same scope is still waiting; call receive from one task at a time"
    }
}
