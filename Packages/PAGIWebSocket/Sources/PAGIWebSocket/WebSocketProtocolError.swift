/// A violation of RFC 6455/7692 by the peer, or a configured limit the peer exceeded.
///
/// Each case maps to exactly one Close code (``closeCode``) and one Close reason text
/// (``closeReason``) — this is the only place that mapping lives. The connection owner sends that
/// Close frame and then closes the connection; nothing further is parsed.
public enum WebSocketProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// RSV2/RSV3 set, or RSV1 set without permessage-deflate negotiated.
    case reservedBitsSet
    /// RSV1 set on a control or continuation frame while permessage-deflate is negotiated
    /// (RFC 7692 §6.1 allows it only on the first frame of a data message).
    case unexpectedCompressionBit(WebSocketOpcode)
    /// Opcode 0x3–0x7 or 0xB–0xF.
    case reservedOpcode(UInt8)
    /// The server received an unmasked frame (RFC 6455 §5.1 requires the server to fail).
    case unmaskedClientFrame
    /// The client received a masked frame (RFC 6455 §5.1 requires the client to fail).
    case maskedServerFrame
    /// The payload length used a longer encoding than needed (RFC 6455 §5.2: "the minimal number
    /// of bytes MUST be used").
    case nonMinimalLength
    /// A 64-bit payload length with the most significant bit set (RFC 6455 §5.2).
    case lengthOverflow
    /// A control frame declared more than 125 payload bytes.
    case controlFrameTooLarge(Int)
    /// A control frame without FIN.
    case fragmentedControlFrame
    /// A continuation frame arrived while no message was in progress.
    case unexpectedContinuation
    /// A new text/binary frame arrived while a fragmented message was still in progress.
    case expectedContinuation(WebSocketOpcode)
    /// A frame declared more payload bytes than ``WebSocketLimits/maxFrameSize``.
    case frameTooLarge(size: Int, limit: Int)
    /// A message (on the wire, or after decompression) grew past ``WebSocketLimits/maxMessageSize``.
    case messageTooLarge(limit: Int)
    /// A text message is not valid UTF-8.
    case invalidUTF8
    /// A Close frame with a 1-byte payload.
    case invalidClosePayload
    /// A Close frame carrying a code that may not appear on the wire.
    case invalidCloseCode(UInt16)
    /// A Close frame whose reason is not valid UTF-8.
    case invalidUTF8InCloseReason
    /// A compressed message could not be inflated (corrupt deflate stream).
    case invalidCompressedData

    /// The Close code to send for this error.
    public var closeCode: WebSocketCloseCode {
        switch self {
        case .reservedBitsSet, .unexpectedCompressionBit, .reservedOpcode, .unmaskedClientFrame,
            .maskedServerFrame, .nonMinimalLength, .lengthOverflow, .controlFrameTooLarge,
            .fragmentedControlFrame, .unexpectedContinuation, .expectedContinuation,
            .invalidClosePayload, .invalidCloseCode:
            .protocolError
        case .frameTooLarge, .messageTooLarge:
            .messageTooBig
        case .invalidUTF8, .invalidUTF8InCloseReason, .invalidCompressedData:
            .invalidPayloadData
        }
    }

    /// The Close reason text to send (short ASCII, well under the 123-byte reason limit).
    public var closeReason: String {
        switch self {
        case .reservedBitsSet, .unexpectedCompressionBit: "RSV bits must be 0"
        case .reservedOpcode: "Reserved opcode"
        case .unmaskedClientFrame: "Client frames must be masked"
        case .maskedServerFrame: "Server frames must not be masked"
        case .nonMinimalLength: "Non-minimal payload length"
        case .lengthOverflow: "Payload length out of range"
        case .controlFrameTooLarge: "Control frame too large"
        case .fragmentedControlFrame: "Fragmented control frame"
        case .unexpectedContinuation: "Unexpected continuation frame"
        case .expectedContinuation: "Expected continuation frame"
        case .frameTooLarge: "Frame too large"
        case .messageTooLarge: "Message too large"
        case .invalidUTF8: "Invalid UTF-8"
        case .invalidClosePayload: "Invalid close frame"
        case .invalidCloseCode: "Invalid close code"
        case .invalidUTF8InCloseReason: "Invalid UTF-8 in close reason"
        case .invalidCompressedData: "Invalid compressed data"
        }
    }

    /// What the peer did wrong and, for limits, which setting to raise.
    public var description: String {
        switch self {
        case .reservedBitsSet:
            "peer set an RSV bit that no negotiated extension defines; enable permessage-deflate only if the client offered it"
        case .unexpectedCompressionBit(let opcode):
            "peer set RSV1 on a \(opcode) frame; permessage-deflate allows it only on the first frame of a data message"
        case .reservedOpcode(let value):
            "peer sent reserved opcode 0x\(String(value, radix: 16)); RFC 6455 defines only 0x0-0x2 and 0x8-0xA"
        case .unmaskedClientFrame:
            "client sent an unmasked frame; RFC 6455 §5.1 requires every client frame to be masked"
        case .maskedServerFrame:
            "server sent a masked frame; RFC 6455 §5.1 forbids masking server frames"
        case .nonMinimalLength:
            "peer encoded a payload length with more bytes than needed; RFC 6455 §5.2 requires the minimal encoding"
        case .lengthOverflow:
            "peer sent a 64-bit payload length with the most significant bit set"
        case .controlFrameTooLarge(let size):
            "peer sent a control frame of \(size) bytes; control frames carry at most 125"
        case .fragmentedControlFrame:
            "peer sent a control frame without FIN; control frames must not be fragmented"
        case .unexpectedContinuation:
            "peer sent a continuation frame with no message in progress"
        case .expectedContinuation(let opcode):
            "peer started a new \(opcode) message before finishing the previous fragmented one"
        case .frameTooLarge(let size, let limit):
            "peer sent a frame of \(size) bytes, over the limit of \(limit); raise WebSocketLimits.maxFrameSize to accept it"
        case .messageTooLarge(let limit):
            "peer's message exceeded \(limit) bytes; raise WebSocketLimits.maxMessageSize to accept it"
        case .invalidUTF8:
            "peer sent a text message that is not valid UTF-8; send binary frames for arbitrary bytes"
        case .invalidClosePayload:
            "peer sent a Close frame with a 1-byte payload; it must be empty or start with a 2-byte code"
        case .invalidCloseCode(let code):
            "peer sent close code \(code), which may not appear on the wire (valid: 1000-1003, 1007-1014, 3000-4999)"
        case .invalidUTF8InCloseReason:
            "peer sent a Close reason that is not valid UTF-8"
        case .invalidCompressedData:
            "peer sent a compressed message that is not a valid deflate stream"
        }
    }
}
