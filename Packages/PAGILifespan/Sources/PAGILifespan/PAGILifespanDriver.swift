public import PAGI

/// Drives the lifespan conversation of one server process or worker (protocol §10,
/// server-behaviour §20).
///
/// The server calls ``startup()`` once before it binds or accepts, serves, then calls
/// ``shutdown()`` once after it stopped accepting and drained its connections:
///
/// ```swift
/// let lifespan = PAGILifespanDriver(app: app, log: { level, line in print(level, line) })
/// do {
///     _ = try await lifespan.startup()
/// } catch {
///     print("Error starting server: \(error)")   // PAGILifespanError: the server must not listen
///     return
/// }
/// // serve; each request scope gets `lifespan.requestState()` as its `state`
/// _ = await lifespan.shutdown()
/// ```
///
/// The contract:
/// - The application runs in its own task, started by ``startup()`` with `lifespan.startup` already
///   queued. It runs on `executor` when one is given, so that a server can keep it on the event
///   loop that serves requests (protocol §10.1).
/// - An application that throws on the lifespan scope, or returns without sending
///   `lifespan.startup.complete`/`failed`, declines lifespan: ``startup()`` returns
///   ``PAGILifespanStartupOutcome/unsupported``, the line `Lifespan not supported, continuing without
///   it` is logged at info, and ``shutdown()`` delivers nothing.
/// - `lifespan.startup.failed` makes ``startup()`` throw ``PAGILifespanError/startupFailed(message:)``;
///   silence for ``PAGILifespanConfiguration/startupTimeout`` makes it throw
///   ``PAGILifespanError/startupTimedOut(after:)``. The reference server waits forever there (⚠).
/// - ``shutdown()`` is bounded by ``PAGILifespanConfiguration/shutdownTimeout`` and never throws.
/// - Events the application sends are checked with `PAGIOutboundEvent.validate(for:extensions:)`:
///   non-lifespan types fail the `send` (the reference server ignores them, ⚠). A lifespan signal
///   out of order (`shutdown.complete` before `lifespan.shutdown` was received, a second
///   `startup.complete`) fails the `send` with a ``PAGI/PAGIEventError`` of code `invalidState`
///   and changes nothing. Once the conversation is over (after a timeout, a failure or the end of
///   shutdown) sends are silent no-ops, like sends on a closed connection.
/// - After a phase times out or startup fails, the application task is cancelled: a `receive`
///   waiting in it throws `CancellationError`.
///
/// - Important: Call ``startup()`` and ``shutdown()`` once each, in that order, and call
///   ``shutdown()`` only after ``startup()`` returned; a second call is a programming error.
public final class PAGILifespanDriver<C: Clock>: Sendable where C.Duration == Duration {
    /// The lifespan scope handed to the application: `pagi.is_worker`, `pagi.worker_num`, `state`.
    public let scope: LifespanScope
    /// The timeouts.
    public let configuration: PAGILifespanConfiguration

    private let app: PAGIApp
    private let clock: C
    private let executor: (any TaskExecutor)?
    private let log: PAGILifespanLogHandler
    private let conversation = LifespanConversation()

    /// Creates a driver.
    /// - Parameters:
    ///   - app: The application; it is called with the lifespan scope by ``startup()``.
    ///   - scope: The lifespan scope. The default says single-process (`is_worker` `0`, no
    ///     `worker_num`) with an empty state.
    ///   - configuration: The startup and shutdown timeouts.
    ///   - clock: The clock the timeouts are measured on; tests pass a manual clock.
    ///   - executor: Where the application task runs; `nil` for the global concurrent executor.
    ///   - log: Receives the driver's log lines.
    public init(
        app: @escaping PAGIApp,
        scope: LifespanScope = LifespanScope(isWorker: false),
        configuration: PAGILifespanConfiguration = PAGILifespanConfiguration(),
        clock: C,
        executor: (any TaskExecutor)? = nil,
        log: @escaping PAGILifespanLogHandler = { _, _ in }
    ) {
        self.app = app
        self.scope = scope
        self.configuration = configuration
        self.clock = clock
        self.executor = executor
        self.log = log
    }

    /// Where the conversation stands, for tests and diagnostics.
    var conversationState: LifespanStateMachine.State { self.conversation.state }

    /// The original state namespace the application fills during startup.
    public var state: PAGILifespanState { self.scope.state }

    /// A shallow copy of the lifespan state for a new request scope's `state` (protocol §10.4).
    ///
    /// Take it when the scope is created: keys the application adds later are invisible to it.
    public func requestState() -> PAGIState {
        self.scope.state.snapshot()
    }

    /// Runs the startup phase: starts the application with `lifespan.startup` queued and waits
    /// for its answer.
    ///
    /// - Returns: ``PAGILifespanStartupOutcome/started`` after `lifespan.startup.complete`, or
    ///   ``PAGILifespanStartupOutcome/unsupported`` when the application threw or returned first.
    /// - Throws: ``PAGILifespanError`` when the application sent `lifespan.startup.failed`, stayed
    ///   silent past the startup timeout, or the calling task was cancelled. The server must not
    ///   listen after any of these.
    public func startup() async throws(PAGILifespanError) -> PAGILifespanStartupOutcome {
        if Task.isCancelled {
            throw .startupCancelled
        }
        let scope = PAGIScope.lifespan(self.scope)
        self.conversation.beginStartup { [app, conversation, executor, log] in
            Task(executorPreference: executor) {
                let ending: LifespanStateMachine.AppEnding
                do {
                    try await app(scope, { try await conversation.receive() }, { event in try conversation.send(event) })
                    ending = .returned
                } catch {
                    ending = .threw(String(describing: error))
                }
                if let ending = conversation.applicationEnded(ending) {
                    Self.reportEndAfterStartup(ending, log: log)
                }
            }
        }
        let result = await self.waitBounded(.startup, timeout: self.configuration.startupTimeout) {
            await $0.awaitStartup()
        }
        switch result {
        case .started:
            self.log(.debug, "Lifespan startup complete")
            return .started
        case .unsupported(let ending):
            self.log(.info, "Lifespan not supported, continuing without it")
            self.log(.debug, "The application \(ending.logText) on the lifespan scope before signalling startup")
            return .unsupported
        case .failed(let message):
            self.log(.error, "PAGI Server startup failed: \(message)")
            throw .startupFailed(message: message)
        case .timedOut:
            let error = PAGILifespanError.startupTimedOut(after: self.configuration.startupTimeout)
            self.log(.error, "PAGI Server startup failed: \(error)")
            throw error
        case .cancelled:
            throw .startupCancelled
        }
    }

    /// Runs the shutdown phase: delivers `lifespan.shutdown` and waits for the application's
    /// answer, at most ``PAGILifespanConfiguration/shutdownTimeout``.
    ///
    /// Call it after the server stopped accepting and drained its connections. Failures are
    /// logged at warning level as `PAGI Server shutdown warning: <message>`; none stops the exit.
    /// Cancelling the calling task ends the wait early and is reported as
    /// ``PAGILifespanShutdownOutcome/timedOut``: either way the application did not answer in time.
    /// - Returns: How the phase ended; ``PAGILifespanShutdownOutcome/notApplicable`` when
    ///   lifespan was unsupported, startup did not complete, or the application already ended.
    @discardableResult
    public func shutdown() async -> PAGILifespanShutdownOutcome {
        guard self.conversation.beginShutdown() else {
            return .notApplicable
        }
        let result = await self.waitBounded(.shutdown, timeout: self.configuration.shutdownTimeout) {
            await $0.awaitShutdown()
        }
        // Whatever ended the phase, the application has nothing left to do; a task still parked
        // in `receive` would otherwise live until the process exits.
        self.conversation.cancelApplication()
        switch result {
        case .completed:
            self.log(.debug, "Lifespan shutdown complete")
            return .completed
        case .failed(let message):
            self.log(.warning, "PAGI Server shutdown warning: \(message)")
            return .failed(message: message)
        case .appEnded(let ending):
            let message = "the application \(ending.logText) on the lifespan scope without sending lifespan.shutdown.complete"
            self.log(.warning, "PAGI Server shutdown warning: \(message)")
            return .applicationEnded(message: message)
        case .timedOut:
            self.log(.warning, "PAGI Server shutdown warning: Lifespan shutdown timed out after \(self.configuration.shutdownTimeout.pagiSecondsText)")
            return .timedOut
        case .cancelled:
            self.log(.warning, "PAGI Server shutdown warning: lifespan shutdown was cancelled before the application answered")
            return .timedOut
        }
    }

    /// Waits for a phase's result, abandoning the phase when `timeout` passes on the clock or the
    /// calling task is cancelled.
    private func waitBounded<Result: Sendable>(
        _ phase: LifespanStateMachine.Phase,
        timeout: Duration,
        _ wait: @escaping @Sendable (LifespanConversation) async -> Result
    ) async -> Result {
        let conversation = self.conversation
        let clock = self.clock
        return await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self, returning: Result.self) { group in
                group.addTask {
                    do {
                        try await clock.sleep(for: timeout)
                    } catch {
                        return  // the phase ended first and the timer was cancelled
                    }
                    conversation.abandon(phase, timedOut: true)
                }
                let result = await wait(conversation)
                group.cancelAll()
                return result
            }
        } onCancel: {
            conversation.abandon(phase, timedOut: false)
        }
    }

    private static func reportEndAfterStartup(_ ending: LifespanStateMachine.AppEnding, log: PAGILifespanLogHandler) {
        switch ending {
        case .threw(let error):
            // The reference server logs nothing here (⚠); the protocol asks for an error line.
            log(.error, "PAGI application error (lifespan, after startup): \(error)")
        case .returned:
            log(.warning, "The lifespan application returned after lifespan.startup.complete; lifespan.shutdown will not be delivered")
        }
    }
}

extension PAGILifespanDriver where C == ContinuousClock {
    /// Creates a driver measuring its timeouts on the continuous clock.
    /// - Parameters:
    ///   - app: The application; it is called with the lifespan scope by ``startup()``.
    ///   - scope: The lifespan scope; the default says single-process with an empty state.
    ///   - configuration: The startup and shutdown timeouts.
    ///   - executor: Where the application task runs; `nil` for the global concurrent executor.
    ///   - log: Receives the driver's log lines.
    public convenience init(
        app: @escaping PAGIApp,
        scope: LifespanScope = LifespanScope(isWorker: false),
        configuration: PAGILifespanConfiguration = PAGILifespanConfiguration(),
        executor: (any TaskExecutor)? = nil,
        log: @escaping PAGILifespanLogHandler = { _, _ in }
    ) {
        self.init(app: app, scope: scope, configuration: configuration, clock: ContinuousClock(), executor: executor, log: log)
    }
}

extension LifespanStateMachine.AppEnding {
    var logText: String {
        switch self {
        case .returned: "returned"
        case .threw(let error): "threw (\(error))"
        }
    }
}
