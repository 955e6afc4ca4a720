/// Why a connection ended abnormally (protocol §6.3).
///
/// The standard tokens are static members; a server-defined reason must start with `x-`.
public struct PAGIDisconnectReason: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
    /// The token as it appears in the protocol, e.g. `client_closed`.
    public var rawValue: String

    /// Wraps a token; use the static members for standard reasons.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Creates a server-defined reason; the `x-` prefix is added when missing.
    /// - Parameter name: The reason's name.
    public static func custom(_ name: String) -> PAGIDisconnectReason {
        PAGIDisconnectReason(rawValue: name.hasPrefix("x-") ? name : "x-" + name)
    }

    /// The peer closed cleanly (TCP FIN) mid-request or mid-stream.
    public static let clientClosed = PAGIDisconnectReason(rawValue: "client_closed")
    /// The peer stopped responding (read or stall timeout).
    public static let clientTimeout = PAGIDisconnectReason(rawValue: "client_timeout")
    /// The connection idled too long.
    public static let idleTimeout = PAGIDisconnectReason(rawValue: "idle_timeout")
    /// A keep-alive connection idled out between requests; a WebSocket pong timeout.
    public static let keepaliveTimeout = PAGIDisconnectReason(rawValue: "keepalive_timeout")
    /// Writing the response timed out.
    public static let writeTimeout = PAGIDisconnectReason(rawValue: "write_timeout")
    /// A socket write failed (EPIPE, ECONNRESET …).
    public static let writeError = PAGIDisconnectReason(rawValue: "write_error")
    /// A socket read failed.
    public static let readError = PAGIDisconnectReason(rawValue: "read_error")
    /// A parse error, invalid request or framing violation.
    public static let protocolError = PAGIDisconnectReason(rawValue: "protocol_error")
    /// The server is shutting down gracefully.
    public static let serverShutdown = PAGIDisconnectReason(rawValue: "server_shutdown")
    /// An unhandled server-side error aborted the request, including the no-response back-stop.
    public static let serverError = PAGIDisconnectReason(rawValue: "server_error")
    /// The request body exceeded the limit.
    public static let bodyTooLarge = PAGIDisconnectReason(rawValue: "body_too_large")
    /// A bounded server queue overflowed.
    public static let queueOverflow = PAGIDisconnectReason(rawValue: "queue_overflow")

    public var description: String { self.rawValue }
}
