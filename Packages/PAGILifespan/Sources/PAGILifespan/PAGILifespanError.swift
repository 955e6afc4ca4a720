/// Why ``PAGILifespanDriver/startup()`` refused to let the server start.
///
/// The server must not listen after any of these; it prints the description and exits non-zero
/// (server-behaviour §20).
public enum PAGILifespanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The application sent `lifespan.startup.failed` with this message.
    case startupFailed(message: String)
    /// The application sent neither `lifespan.startup.complete` nor `lifespan.startup.failed`
    /// and did not return within the startup timeout.
    case startupTimedOut(after: Duration)
    /// The task awaiting startup was cancelled (the server is stopping) before the application
    /// signalled.
    case startupCancelled

    public var description: String {
        switch self {
        case .startupFailed(let message):
            "Lifespan startup failed: \(message)"
        case .startupTimedOut(let timeout):
            "Lifespan startup timed out after \(timeout.pagiSecondsText): the application sent neither lifespan.startup.complete nor lifespan.startup.failed; fix the startup code or raise the lifespan startup timeout"
        case .startupCancelled:
            "Lifespan startup was cancelled before the application signalled startup.complete or startup.failed"
        }
    }
}
