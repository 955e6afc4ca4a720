/// The decoded header of one WebSocket frame
/// ([RFC 6455 §5.2](https://www.rfc-editor.org/rfc/rfc6455#section-5.2)).
///
/// A header produced by ``WebSocketFrameParser`` has already passed every per-frame rule
/// (reserved bits, opcode, control-frame size, masking, size limits); its payload is available
/// unmasked from the parser.
public struct WebSocketFrameHeader: Sendable, Hashable {
    /// Whether this is the final frame of its message.
    public var fin: Bool
    /// RSV1: set on the first frame of a compressed message when permessage-deflate is negotiated.
    public var rsv1: Bool
    /// RSV2: no extension we implement uses it.
    public var rsv2: Bool
    /// RSV3: no extension we implement uses it.
    public var rsv3: Bool
    /// The frame opcode.
    public var opcode: WebSocketOpcode
    /// The masking key, if the frame was masked.
    public var maskingKey: WebSocketMaskingKey?
    /// The payload length in bytes.
    public var payloadLength: Int

    /// Creates a frame header.
    /// - Parameters:
    ///   - fin: Whether this frame ends its message.
    ///   - rsv1: The RSV1 bit (compression).
    ///   - rsv2: The RSV2 bit.
    ///   - rsv3: The RSV3 bit.
    ///   - opcode: The frame opcode.
    ///   - maskingKey: The masking key, `nil` for unmasked frames.
    ///   - payloadLength: The payload length in bytes.
    public init(
        fin: Bool = true,
        rsv1: Bool = false,
        rsv2: Bool = false,
        rsv3: Bool = false,
        opcode: WebSocketOpcode,
        maskingKey: WebSocketMaskingKey? = nil,
        payloadLength: Int
    ) {
        self.fin = fin
        self.rsv1 = rsv1
        self.rsv2 = rsv2
        self.rsv3 = rsv3
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payloadLength = payloadLength
    }
}
