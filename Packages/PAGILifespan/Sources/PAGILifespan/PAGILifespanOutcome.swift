/// How a successful ``PAGILifespanDriver/startup()`` ended.
public enum PAGILifespanStartupOutcome: Sendable, Hashable {
    /// The application sent `lifespan.startup.complete`; ``PAGILifespanDriver/shutdown()`` will
    /// deliver `lifespan.shutdown`.
    case started
    /// The application threw, or returned without signalling: lifespan is unsupported, the server
    /// continues and no further lifespan event is delivered (protocol §10.3).
    case unsupported
}

/// How ``PAGILifespanDriver/shutdown()`` ended. Every outcome lets the server exit; only the log
/// line differs.
public enum PAGILifespanShutdownOutcome: Sendable, Hashable {
    /// The application sent `lifespan.shutdown.complete`.
    case completed
    /// The application sent `lifespan.shutdown.failed` with this message.
    case failed(message: String)
    /// The application sent neither signal within the shutdown timeout (or before the task
    /// waiting in ``PAGILifespanDriver/shutdown()`` was cancelled).
    case timedOut
    /// The application ended (returned or threw) before signalling the end of shutdown; the
    /// message says how.
    case applicationEnded(message: String)
    /// No shutdown conversation took place: lifespan was unsupported, startup never completed, or
    /// shutdown already ran.
    case notApplicable
}
