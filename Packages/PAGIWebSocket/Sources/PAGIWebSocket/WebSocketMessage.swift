/// A complete data message: fragments reassembled, decompressed and (for text) UTF-8 validated.
///
/// Matches PAGI's `websocket.receive` / `websocket.send` rule that exactly one of `text` and
/// `bytes` is present.
public enum WebSocketMessage: Sendable, Hashable {
    /// A text message (valid UTF-8).
    case text(String)
    /// A binary message.
    case binary([UInt8])
}

/// What ``WebSocketReader/read(_:)`` or ``WebSocketMessageAssembler`` produced.
public enum WebSocketInboundEvent: Sendable, Hashable {
    /// All input consumed; no complete message or control frame yet.
    case needMoreData
    /// A complete data message.
    case message(WebSocketMessage)
    /// A Ping; answer with a Pong carrying the same payload (unless a Close was already sent).
    case ping([UInt8])
    /// A Pong (answer to our keepalive Ping, or unsolicited).
    case pong([UInt8])
    /// A valid Close frame; feed it to ``WebSocketConnectionStateMachine/receivedClose(_:)``.
    case close(WebSocketClosePayload)
    /// The peer violated the protocol or a limit; feed it to
    /// ``WebSocketConnectionStateMachine/protocolViolation(_:)``. Nothing further is parsed.
    case protocolError(WebSocketProtocolError)
}
