/// The severity of a lifespan log line, in ascending order.
public enum PAGILifespanLogLevel: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// Details for debugging a lifespan conversation.
    case debug
    /// Normal events, such as an application declining lifespan.
    case info
    /// Problems the server survives, such as a failed or timed-out shutdown.
    case warning
    /// Failures: startup failed, or the application crashed after startup.
    case error

    public static func < (lhs: PAGILifespanLogLevel, rhs: PAGILifespanLogLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// Receives the driver's log lines; the server routes them to its own log with its level filter.
///
/// The driver keeps no logging dependency: one closure is all a server needs to adapt it to
/// swift-log, its stderr logger or a test recorder. It is called from whichever task produced the
/// line, so it must be thread-safe and must not block.
public typealias PAGILifespanLogHandler = @Sendable (PAGILifespanLogLevel, String) -> Void
