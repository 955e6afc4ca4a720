import PAGI

/// The lifespan conversation as a value (protocol §10.3): which phase the server is in, whether
/// the application still runs, and which inbound event waits for `receive`.
///
/// Every input is a `mutating func` returning what the owner (``LifespanConversation``) must do;
/// the machine never touches a continuation, a task or a clock.
struct LifespanStateMachine: Sendable {
    /// A phase the driver waits on.
    enum Phase: Sendable, Hashable {
        case startup
        case shutdown
    }

    /// How the application's call ended.
    enum AppEnding: Sendable, Hashable {
        case returned
        case threw(String)
    }

    /// A lifespan signal the application sent, already validated for the lifespan scope.
    enum Signal: Sendable, Hashable {
        case startupComplete
        case startupFailed(String)
        case shutdownComplete
        case shutdownFailed(String)

        var type: String {
            switch self {
            case .startupComplete: "lifespan.startup.complete"
            case .startupFailed: "lifespan.startup.failed"
            case .shutdownComplete: "lifespan.shutdown.complete"
            case .shutdownFailed: "lifespan.shutdown.failed"
            }
        }
    }

    /// What ended the startup phase.
    enum StartupResult: Sendable, Hashable {
        case started
        case unsupported(AppEnding)
        case failed(String)
        case timedOut
        case cancelled
    }

    /// What ended the shutdown phase.
    enum ShutdownResult: Sendable, Hashable {
        case completed
        case failed(String)
        case appEnded(AppEnding)
        case timedOut
        case cancelled
    }

    enum State: Sendable, Hashable {
        /// `startupRequested()` has not happened; the application is not running.
        case idle
        /// `lifespan.startup` is queued (`delivered == false`) or handed out; waiting for a signal.
        case startingUp(delivered: Bool)
        /// `lifespan.startup.complete` arrived; the server serves.
        case running
        /// `lifespan.shutdown` is queued or handed out; waiting for a signal.
        case shuttingDown(delivered: Bool)
        /// The conversation is over; no event is delivered and sends are ignored.
        case finished(Ending)
    }

    enum Ending: Sendable, Hashable {
        case unsupported
        case startupFailed
        case startupAbandoned
        case appEndedAfterStartup
        case shutDown
    }

    enum ReceiveAction: Sendable, Hashable {
        /// Return this event to the application now.
        case deliver(PAGIInboundEvent)
        /// Park the caller until an event is posted or the task is cancelled.
        case suspend
        /// Another `receive` is already parked; fail this one.
        case rejectConcurrentReceive
    }

    enum SendAction: Sendable, Hashable {
        /// Resume the driver's startup wait; cancel the application task when `cancelApp`.
        case resolveStartup(StartupResult, cancelApp: Bool)
        /// Resume the driver's shutdown wait and cancel the application task.
        case resolveShutdown(ShutdownResult)
        /// The conversation is over: the send is a silent no-op.
        case ignore
        /// The signal is out of order: fail the send with this error; nothing changes.
        case reject(PAGIEventError)
    }

    enum AppEndAction: Sendable, Hashable {
        case resolveStartup(StartupResult)
        case resolveShutdown(ShutdownResult)
        /// The application ended while the server was serving: log it; shutdown has nothing to wait for.
        case reportEndAfterStartup(AppEnding)
        case none
    }

    enum ShutdownRequestAction: Sendable, Hashable {
        /// Wait for the application; if `resumeReceiver`, hand `lifespan.shutdown` to the parked `receive`.
        case awaitApplication(resumeReceiver: Bool)
        /// Nothing to wait for.
        case skip
    }

    enum AbandonAction: Sendable, Hashable {
        case resolveStartup(StartupResult)
        case resolveShutdown(ShutdownResult)
        case none
    }

    private(set) var state: State = .idle
    /// Whether a `receive` call is parked waiting for the next event.
    private(set) var receiverParked = false

    /// The server is ready: queue `lifespan.startup` (protocol: queued before the app is called).
    mutating func startupRequested() {
        guard case .idle = self.state else {
            preconditionFailure("PAGILifespanDriver.startup() called twice (state: \(self.state))")
        }
        self.state = .startingUp(delivered: false)
    }

    /// The application called `receive`.
    mutating func receive() -> ReceiveAction {
        switch self.state {
        case .idle:
            preconditionFailure("lifespan receive called before the application was started")
        case .startingUp(delivered: false):
            self.state = .startingUp(delivered: true)
            return .deliver(.lifespanStartup)
        case .shuttingDown(delivered: false):
            self.state = .shuttingDown(delivered: true)
            return .deliver(.lifespanShutdown)
        case .startingUp(delivered: true), .running, .shuttingDown(delivered: true), .finished:
            guard !self.receiverParked else { return .rejectConcurrentReceive }
            self.receiverParked = true
            return .suspend
        }
    }

    /// The parked `receive` was cancelled and has been resumed with an error.
    mutating func parkedReceiveCancelled() {
        self.receiverParked = false
    }

    /// The server stopped serving and asks the application to clean up.
    mutating func shutdownRequested() -> ShutdownRequestAction {
        switch self.state {
        case .running:
            if self.receiverParked {
                self.receiverParked = false
                self.state = .shuttingDown(delivered: true)
                return .awaitApplication(resumeReceiver: true)
            }
            self.state = .shuttingDown(delivered: false)
            return .awaitApplication(resumeReceiver: false)
        case .idle, .startingUp, .finished:
            // Never started, still starting (the caller should cancel startup instead), or over.
            return .skip
        case .shuttingDown:
            preconditionFailure("PAGILifespanDriver.shutdown() called while a shutdown is already in progress")
        }
    }

    /// The application sent a lifespan signal.
    mutating func signalReceived(_ signal: Signal) -> SendAction {
        switch (self.state, signal) {
        case (.startingUp, .startupComplete):
            self.state = .running
            return .resolveStartup(.started, cancelApp: false)
        case (.startingUp, .startupFailed(let message)):
            self.state = .finished(.startupFailed)
            return .resolveStartup(.failed(message), cancelApp: true)
        case (.shuttingDown, .shutdownComplete):
            self.state = .finished(.shutDown)
            return .resolveShutdown(.completed)
        case (.shuttingDown, .shutdownFailed(let message)):
            self.state = .finished(.shutDown)
            return .resolveShutdown(.failed(message))
        case (.finished, _):
            return .ignore
        case (.idle, _):
            preconditionFailure("lifespan send called before the application was started")
        case (.startingUp, .shutdownComplete), (.startingUp, .shutdownFailed):
            return .reject(.invalidState(signal.type, "was sent during startup, before lifespan.shutdown was received"))
        case (.running, _):
            return .reject(.invalidState(signal.type, "was sent after lifespan.startup.complete and before lifespan.shutdown was received"))
        case (.shuttingDown, .startupComplete), (.shuttingDown, .startupFailed):
            return .reject(.invalidState(signal.type, "was sent during shutdown; startup already completed"))
        }
    }

    /// The application's call returned or threw.
    mutating func applicationEnded(_ ending: AppEnding) -> AppEndAction {
        switch self.state {
        case .idle:
            preconditionFailure("lifespan application ended before it was started")
        case .startingUp:
            self.state = .finished(.unsupported)
            return .resolveStartup(.unsupported(ending))
        case .running:
            self.state = .finished(.appEndedAfterStartup)
            return .reportEndAfterStartup(ending)
        case .shuttingDown:
            self.state = .finished(.shutDown)
            return .resolveShutdown(.appEnded(ending))
        case .finished:
            return .none
        }
    }

    /// The driver stopped waiting for a phase: its timeout fired or its task was cancelled.
    mutating func abandoned(_ phase: Phase, timedOut: Bool) -> AbandonAction {
        switch (self.state, phase) {
        case (.startingUp, .startup):
            self.state = .finished(.startupAbandoned)
            return .resolveStartup(timedOut ? .timedOut : .cancelled)
        case (.shuttingDown, .shutdown):
            self.state = .finished(.shutDown)
            return .resolveShutdown(timedOut ? .timedOut : .cancelled)
        case (.idle, _), (.startingUp, .shutdown), (.running, _), (.shuttingDown, .startup), (.finished, _):
            // The phase was already resolved (a signal won the race) or is not the one waited on.
            return .none
        }
    }
}
