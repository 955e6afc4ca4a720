import Synchronization

/// A listening socket the server serves instead of binding its own: handed down by systemd,
/// `start_server`, a hot-restarting master, or the prefork master of this server.
public struct PAGIAdoptedListener: Sendable, Hashable {
    /// The open, listening descriptor; the server's channel takes it over (and closes it at
    /// shutdown, never unlinking a socket file).
    public var descriptor: Int32
    /// Where it came from, for the log line (`systemd`, `server-starter`, `PAGI_REUSE`, `master`).
    public var source: String
    /// Whether other processes accept on the same socket (prefork workers, overlapping
    /// start_server generations). Such a socket is served by a dedicated accept thread, because
    /// SwiftNIO's server channel must never find its accept queue empty after a wakeup.
    public var isShared: Bool

    /// Creates an adopted listener.
    public init(descriptor: Int32, source: String, isShared: Bool = true) {
        self.descriptor = descriptor
        self.source = source
        self.isShared = isShared
    }
}

/// How this server process fits into a deployment: inherited listeners and the duties of a
/// prefork worker (lifespan scope, heartbeat, request budget). The defaults describe a
/// stand-alone single-process server.
public struct PAGIServerProcessOptions: Sendable {
    /// Listeners to adopt rather than bind, keyed by the entry of
    /// ``PAGIServerConfiguration/listeners`` they serve.
    public var adoptedListeners: [PAGIListenAddress: PAGIAdoptedListener] = [:]
    /// This process's worker number (`1…N`) in a multi-worker server; `nil` single-process. It
    /// sets `pagi.is_worker`/`pagi.worker_num` in the lifespan scope.
    public var workerNumber: Int?
    /// The write end of the master's heartbeat pipe and the beat interval; the beat is written
    /// from the serving event loop, so an application blocking that loop stops it.
    public var heartbeat: (descriptor: Int32, interval: Duration)?
    /// Shut down gracefully after this many finished requests (`--max-requests`); `nil` never.
    public var maxRequests: Int?

    /// At graceful shutdown, how long a keep-alive connection waiting for its next request stays
    /// open: a request arriving meanwhile is served with `Connection: close`. Set when another
    /// process keeps serving the same listener (prefork worker, start_server generation), so a
    /// client's next request is never cut off by the close; `nil` closes idle connections at once.
    public var lameDuckPeriod: Duration?

    /// Close a connection after this many requests (`--max-keepalive-reqs`; 1 disables keep-alive);
    /// `nil` never.
    public var maxRequestsPerConnection: Int?

    /// Creates the stand-alone defaults.
    public init() {}
}

/// Counts finished requests and fires once when the budget is used up.
final class RequestCountdown: Sendable {
    private let remaining: Atomic<Int>
    private let onExhausted: @Sendable () -> Void

    init(budget: Int, onExhausted: @escaping @Sendable () -> Void) {
        self.remaining = Atomic(budget)
        self.onExhausted = onExhausted
    }

    /// Called once per finished request, from any event loop.
    func requestFinished() {
        // Exactly one caller sees the step from 1 to 0; later requests go below 0 and do nothing.
        if self.remaining.subtract(1, ordering: .relaxed).newValue == 0 {
            self.onExhausted()
        }
    }
}
