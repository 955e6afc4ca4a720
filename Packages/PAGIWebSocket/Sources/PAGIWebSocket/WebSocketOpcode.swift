/// The opcode of a WebSocket frame ([RFC 6455 §5.2](https://www.rfc-editor.org/rfc/rfc6455#section-5.2)).
///
/// Only the six opcodes RFC 6455 defines exist as cases: the reserved values 0x3–0x7 and 0xB–0xF
/// are rejected by ``WebSocketFrameParser`` with ``WebSocketProtocolError/reservedOpcode(_:)``
/// before a frame value is ever built, so code handling a frame never sees one.
public enum WebSocketOpcode: UInt8, Sendable, Hashable, CaseIterable {
    /// A continuation of the message started by the last text or binary frame.
    case continuation = 0x0
    /// The first frame of a text message (UTF-8 payload).
    case text = 0x1
    /// The first frame of a binary message.
    case binary = 0x2
    /// A Close control frame.
    case close = 0x8
    /// A Ping control frame; the peer answers with a Pong carrying the same payload.
    case ping = 0x9
    /// A Pong control frame.
    case pong = 0xA

    /// Whether this is a control opcode (close, ping, pong): at most 125 payload bytes, never fragmented.
    @inlinable
    public var isControl: Bool { self.rawValue & 0x8 != 0 }
}
