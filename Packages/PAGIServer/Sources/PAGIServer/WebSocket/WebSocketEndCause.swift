import PAGI

/// Why an open WebSocket ended, and what that means on both sides (protocol §7.3, §7.4): the
/// Close frame the server sends, if any, and the `websocket.disconnect` the app receives.
///
/// Decisions (see the package README; ⚠ protocol §7.3: the reference reports `{1006, ""}` for
/// every server-detected case, this type never does):
/// - A peer Close without a code is reported as `1005` but answered with an empty Close payload:
///   `1005` must never appear on the wire (RFC 6455 §7.4.1; ⚠ server-behaviour §12.2).
/// - An oversized frame is closed with `1009` (the issue asks for it; §7.4 allows it) and reported
///   as `1009` / `body_too_large`, the §6.3 token that names "exceeded the limit".
/// - Graceful shutdown sends `1001` (the requirement) and reports `1006` /
///   `server_shutdown`, as the §7.3 table lists shutdown among the drops.
enum WebSocketEndCause: Sendable, Hashable {
    /// The peer sent a valid Close frame; `code` is `nil` when its payload was empty.
    case peerClosed(code: Int?, reason: String)
    /// The connection ended without a closing handshake: FIN, timeout, write failure
    /// (`client_closed`, `keepalive_timeout`, `idle_timeout`, `write_timeout`, `write_error`, `read_error`).
    case dropped(PAGIDisconnectReason)
    /// The server is shutting down gracefully.
    case serverShutdown
    /// The peer broke the protocol; `code` is `1002` (framing) or `1007` (invalid UTF-8), and
    /// `message` the reason text of the server's Close frame.
    case protocolViolation(code: Int, message: String)
    /// The app did not drain its receive queue and the bound was reached.
    case receiveQueueOverflow
    /// A frame was larger than `max_ws_frame_size`.
    case frameTooLarge

    /// The Close frame the server sends, or `nil` when the connection is simply closed.
    /// - Parameter alreadySentClose: Whether the server (or the app) already sent a Close frame;
    ///   a second one is never sent.
    func closeFrame(alreadySentClose: Bool) -> (code: Int?, reason: String)? {
        guard !alreadySentClose else { return nil }
        switch self {
        case .peerClosed(let code, let reason):
            // Echo the peer's code and reason (RFC 6455 §5.5.1); an empty Close is echoed empty.
            return code.map { ($0, reason) } ?? (nil, "")
        case .dropped:
            return nil
        case .serverShutdown:
            return (1001, "Server shutting down")
        case .protocolViolation(let code, let message):
            return (code, message)
        case .receiveQueueOverflow:
            return (1008, "Message queue overflow")
        case .frameTooLarge:
            return (1009, "Frame too large")
        }
    }

    /// The event the app receives.
    var disconnectEvent: PAGIInboundEvent {
        switch self {
        case .peerClosed(let code, let reason):
            .websocketDisconnect(code: code ?? 1005, reason: reason)
        case .dropped(let reason):
            .websocketDisconnect(code: 1006, reason: reason.rawValue)
        case .serverShutdown:
            .websocketDisconnect(code: 1006, reason: PAGIDisconnectReason.serverShutdown.rawValue)
        case .protocolViolation(let code, _):
            .websocketDisconnect(code: code, reason: PAGIDisconnectReason.protocolError.rawValue)
        case .receiveQueueOverflow:
            .websocketDisconnect(code: 1008, reason: PAGIDisconnectReason.queueOverflow.rawValue)
        case .frameTooLarge:
            .websocketDisconnect(code: 1009, reason: PAGIDisconnectReason.bodyTooLarge.rawValue)
        }
    }
}
