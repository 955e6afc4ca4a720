/// The payload of a Close frame: an optional code and a UTF-8 reason
/// ([RFC 6455 §5.5.1](https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1)).
public struct WebSocketClosePayload: Sendable, Hashable {
    /// The close code; `nil` when the frame had an empty payload.
    public var code: WebSocketCloseCode?
    /// The reason text; empty when absent.
    public var reason: String

    /// Creates a Close payload.
    /// - Parameters:
    ///   - code: The close code, or `nil` for an empty Close frame (then `reason` must be empty).
    ///   - reason: The reason text.
    public init(code: WebSocketCloseCode?, reason: String = "") {
        self.code = code
        self.reason = reason
    }

    /// The code to report locally: the frame's code, or 1005 when it had none.
    public var reportedCode: WebSocketCloseCode { self.code ?? .noStatusReceived }

    /// Parses and validates an (unmasked) Close payload.
    ///
    /// The payload must be empty or hold a 2-byte code that ``WebSocketCloseCode/isValidOnWire``
    /// accepts, followed by a valid UTF-8 reason.
    ///
    /// - Parameter bytes: The unmasked payload.
    /// - Returns: The payload, or the protocol error to fail the connection with.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<WebSocketClosePayload, WebSocketProtocolError> {
        if bytes.isEmpty { return .success(WebSocketClosePayload(code: nil)) }
        guard bytes.count >= 2 else { return .failure(.invalidClosePayload) }
        let code = WebSocketCloseCode(rawValue: UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
        guard code.isValidOnWire else { return .failure(.invalidCloseCode(code.rawValue)) }
        let reasonBytes = UnsafeRawBufferPointer(rebasing: bytes[2...])
        var validator = WebSocketUTF8Validator()
        guard validator.consume(reasonBytes), validator.isAtCharacterBoundary else {
            return .failure(.invalidUTF8InCloseReason)
        }
        return .success(WebSocketClosePayload(code: code, reason: String(decoding: reasonBytes, as: UTF8.self)))
    }

    /// Parses and validates an (unmasked) Close payload held in an array.
    /// - Parameter bytes: The unmasked payload.
    /// - Returns: The payload, or the protocol error to fail the connection with.
    public static func parse(_ bytes: [UInt8]) -> Result<WebSocketClosePayload, WebSocketProtocolError> {
        bytes.withUnsafeBytes { parse($0) }
    }
}
