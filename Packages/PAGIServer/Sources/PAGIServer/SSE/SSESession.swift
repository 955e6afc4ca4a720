import NIOCore

/// The state of one `sse` scope besides the request itself: the send-side machine and the
/// keepalive and idle timers. Confined to the connection's event loop.
final class SSESession {
    var machine = SSESendStateMachine()
    var keepaliveTask: RepeatedTask?
    var idleDeadline = NIODeadline.distantFuture
    var idleTimer: Scheduled<Void>?

    init() {}

    func cancelTimers() {
        self.keepaliveTask?.cancel()
        self.keepaliveTask = nil
        self.idleTimer?.cancel()
        self.idleTimer = nil
    }
}

@available(*, unavailable)
extension SSESession: Sendable {}
