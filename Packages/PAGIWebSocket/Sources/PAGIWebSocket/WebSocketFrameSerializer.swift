/// Writes WebSocket frames: unmasked server frames (or masked client frames), fragmentation of
/// large messages, and the Ping/Pong/Close builders
/// ([RFC 6455 §5.2–5.5](https://www.rfc-editor.org/rfc/rfc6455#section-5.2)).
///
/// Two ways in: append whole frames to a `[UInt8]`, or write only the header into caller-provided
/// memory (``writeHeader(_:into:)``) so a NIO handler can put it in front of a payload it already
/// holds without copying the payload.
public struct WebSocketFrameSerializer: Sendable, Hashable {
    /// The largest payload of one outgoing frame; longer messages are split into continuation
    /// frames. `nil` never fragments.
    ///
    /// Default 65 536 — the frame size peers are most likely to accept. The reference server
    /// instead failed sends over 64 KiB (⚠); we fragment.
    public var maxFramePayload: Int?

    /// The largest header ``writeHeader(_:into:)`` can write: 2 + 8 length + 4 mask bytes.
    public static let maxHeaderLength = 14

    /// Creates a serializer.
    /// - Parameter maxFramePayload: The largest outgoing frame payload; `nil` never fragments.
    public init(maxFramePayload: Int? = 65_536) {
        precondition(maxFramePayload.map { $0 > 0 } ?? true, "WebSocketFrameSerializer: maxFramePayload must be positive")
        self.maxFramePayload = maxFramePayload
    }

    /// The header length for a payload of `payloadLength` bytes.
    /// - Parameters:
    ///   - payloadLength: The payload length.
    ///   - masked: Whether a masking key follows the length.
    /// - Returns: 2, 4 or 10 bytes, plus 4 when masked.
    public static func headerLength(payloadLength: Int, masked: Bool) -> Int {
        let base = payloadLength < 126 ? 2 : (payloadLength <= 0xFFFF ? 4 : 10)
        return base + (masked ? 4 : 0)
    }

    /// Writes a frame header (minimal length encoding) into `buffer`.
    /// - Parameters:
    ///   - header: The header to write.
    ///   - buffer: At least ``headerLength(payloadLength:masked:)`` bytes.
    /// - Returns: The number of bytes written.
    @discardableResult
    public static func writeHeader(_ header: WebSocketFrameHeader, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let length = header.payloadLength
        let needed = headerLength(payloadLength: length, masked: header.maskingKey != nil)
        precondition(length >= 0 && buffer.count >= needed, "WebSocketFrameSerializer: header buffer too small or negative length")
        var first = header.opcode.rawValue
        if header.fin { first |= 0x80 }
        if header.rsv1 { first |= 0x40 }
        if header.rsv2 { first |= 0x20 }
        if header.rsv3 { first |= 0x10 }
        buffer[0] = first
        let maskBit: UInt8 = header.maskingKey == nil ? 0 : 0x80
        var index: Int
        if length < 126 {
            buffer[1] = maskBit | UInt8(length)
            index = 2
        } else if length <= 0xFFFF {
            buffer[1] = maskBit | 126
            buffer[2] = UInt8(truncatingIfNeeded: length >> 8)
            buffer[3] = UInt8(truncatingIfNeeded: length)
            index = 4
        } else {
            buffer[1] = maskBit | 127
            for byte in 0..<8 { buffer[2 + byte] = UInt8(truncatingIfNeeded: UInt64(length) >> (56 - 8 * UInt64(byte))) }
            index = 10
        }
        if let key = header.maskingKey {
            for byte in 0..<4 { buffer[index + byte] = key[byte] }
            index += 4
        }
        return index
    }

    /// Appends one complete frame.
    /// - Parameters:
    ///   - opcode: The frame opcode.
    ///   - payload: The unmasked payload.
    ///   - fin: Whether this frame ends its message (default `true`).
    ///   - rsv1: The compression bit (default `false`).
    ///   - maskingKey: Mask the payload with this key (client role); `nil` for server frames.
    ///   - output: Receives the frame.
    public static func writeFrame(
        opcode: WebSocketOpcode,
        payload: UnsafeRawBufferPointer,
        fin: Bool = true,
        rsv1: Bool = false,
        maskingKey: WebSocketMaskingKey? = nil,
        into output: inout [UInt8]
    ) {
        let header = WebSocketFrameHeader(fin: fin, rsv1: rsv1, opcode: opcode, maskingKey: maskingKey, payloadLength: payload.count)
        let headerLength = headerLength(payloadLength: payload.count, masked: maskingKey != nil)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: headerLength))
        output.withUnsafeMutableBytes { buffer in
            _ = writeHeader(header, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
        }
        let payloadStart = output.count
        output.append(contentsOf: payload)
        guard let maskingKey, !payload.isEmpty else { return }
        output.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            let region = base + payloadStart
            maskingKey.apply(from: UnsafeRawPointer(region), to: region, count: payload.count, phase: 0)
        }
    }

    /// Appends one data message, split into frames of at most ``maxFramePayload`` bytes.
    /// - Parameters:
    ///   - opcode: `.text` or `.binary`.
    ///   - payload: The message payload (already compressed when `compressed`).
    ///   - compressed: Sets RSV1 on the first frame (permessage-deflate).
    ///   - maskingKey: Mask every frame with this key (client role); `nil` for server frames.
    ///   - output: Receives the frames.
    public func writeMessage(
        opcode: WebSocketOpcode,
        payload: UnsafeRawBufferPointer,
        compressed: Bool = false,
        maskingKey: WebSocketMaskingKey? = nil,
        into output: inout [UInt8]
    ) {
        precondition(opcode == .text || opcode == .binary, "WebSocketFrameSerializer.writeMessage: \(opcode) is not a data opcode")
        let chunk = self.maxFramePayload ?? max(payload.count, 1)
        var offset = 0
        var frameOpcode = opcode
        repeat {
            let end = min(offset + chunk, payload.count)
            Self.writeFrame(
                opcode: frameOpcode,
                payload: UnsafeRawBufferPointer(rebasing: payload[offset..<end]),
                fin: end == payload.count,
                rsv1: compressed && frameOpcode != .continuation,
                maskingKey: maskingKey,
                into: &output
            )
            offset = end
            frameOpcode = .continuation
        } while offset < payload.count
    }

    /// Appends a text or binary message; see ``writeMessage(opcode:payload:compressed:maskingKey:into:)``.
    /// - Parameters:
    ///   - message: The message.
    ///   - maskingKey: Mask every frame with this key (client role); `nil` for server frames.
    ///   - output: Receives the frames.
    public func writeMessage(_ message: WebSocketMessage, maskingKey: WebSocketMaskingKey? = nil, into output: inout [UInt8]) {
        switch message {
        case .text(var text):
            text.withUTF8 { self.writeMessage(opcode: .text, payload: UnsafeRawBufferPointer($0), maskingKey: maskingKey, into: &output) }
        case .binary(let bytes):
            bytes.withUnsafeBytes { self.writeMessage(opcode: .binary, payload: $0, maskingKey: maskingKey, into: &output) }
        }
    }

    /// Appends a Ping.
    /// - Parameters:
    ///   - payload: At most 125 bytes (a longer payload is our bug: precondition).
    ///   - maskingKey: The masking key for the client role.
    ///   - output: Receives the frame.
    public static func writePing(_ payload: [UInt8] = [], maskingKey: WebSocketMaskingKey? = nil, into output: inout [UInt8]) {
        writeControl(.ping, payload, maskingKey: maskingKey, into: &output)
    }

    /// Appends a Pong (the answer to a Ping carries the Ping's payload).
    /// - Parameters:
    ///   - payload: At most 125 bytes (a longer payload is our bug: precondition).
    ///   - maskingKey: The masking key for the client role.
    ///   - output: Receives the frame.
    public static func writePong(_ payload: [UInt8], maskingKey: WebSocketMaskingKey? = nil, into output: inout [UInt8]) {
        writeControl(.pong, payload, maskingKey: maskingKey, into: &output)
    }

    /// Appends a Close frame.
    ///
    /// A `nil` code writes an empty payload: that is how we answer a Close that carried no code,
    /// because 1005 must never appear on the wire (the reference server echoed it ⚠). A code that is
    /// not ``WebSocketCloseCode/isValidOnWire`` is replaced by 1011 rather than sent. The reason is
    /// cut to 123 bytes at a character boundary, the most a control frame can carry after the code.
    ///
    /// - Parameters:
    ///   - close: The code and reason.
    ///   - maskingKey: The masking key for the client role.
    ///   - output: Receives the frame.
    public static func writeClose(_ close: WebSocketClosePayload, maskingKey: WebSocketMaskingKey? = nil, into output: inout [UInt8]) {
        var payload: [UInt8] = []
        if let code = close.code {
            let wire = code.isValidOnWire ? code : .internalError
            payload.append(UInt8(truncatingIfNeeded: wire.rawValue >> 8))
            payload.append(UInt8(truncatingIfNeeded: wire.rawValue))
            payload.append(contentsOf: truncatedReason(close.reason))
        }
        writeControl(.close, payload, maskingKey: maskingKey, into: &output)
    }

    /// The reason's UTF-8, cut to at most 123 bytes without splitting a character.
    static func truncatedReason(_ reason: String) -> Substring.UTF8View {
        var end = reason.startIndex
        var bytes = 0
        for character in reason {
            let size = character.utf8.count
            guard bytes + size <= 123 else { break }
            bytes += size
            end = reason.index(after: end)
        }
        return reason[..<end].utf8
    }

    private static func writeControl(_ opcode: WebSocketOpcode, _ payload: [UInt8], maskingKey: WebSocketMaskingKey?, into output: inout [UInt8]) {
        precondition(payload.count <= 125, "WebSocketFrameSerializer: a \(opcode) payload is limited to 125 bytes, got \(payload.count)")
        payload.withUnsafeBytes { writeFrame(opcode: opcode, payload: $0, maskingKey: maskingKey, into: &output) }
    }
}
