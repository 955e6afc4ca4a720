/// A WebSocket close status code ([RFC 6455 §7.4](https://www.rfc-editor.org/rfc/rfc6455#section-7.4)
/// and the [IANA registry](https://www.iana.org/assignments/websocket/websocket.xhtml#close-code-number)).
///
/// A struct rather than an enum because applications may send any code from the 3000–4999 ranges.
public struct WebSocketCloseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The numeric code.
    public var rawValue: UInt16

    /// Creates a close code from its numeric value (any value; see ``isValidOnWire``).
    /// - Parameter rawValue: The numeric code.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1000: the purpose of the connection has been fulfilled.
    public static let normalClosure = WebSocketCloseCode(rawValue: 1000)
    /// 1001: the endpoint is going away (server shutdown, page navigation).
    public static let goingAway = WebSocketCloseCode(rawValue: 1001)
    /// 1002: the peer violated the protocol.
    public static let protocolError = WebSocketCloseCode(rawValue: 1002)
    /// 1003: the endpoint cannot accept this type of data.
    public static let unsupportedData = WebSocketCloseCode(rawValue: 1003)
    /// 1005: reported locally when a Close frame carried no code; never sent on the wire.
    public static let noStatusReceived = WebSocketCloseCode(rawValue: 1005)
    /// 1006: reported locally when the connection ended without a Close frame; never sent on the wire.
    public static let abnormalClosure = WebSocketCloseCode(rawValue: 1006)
    /// 1007: a message was not consistent with its type (invalid UTF-8 in a text message).
    public static let invalidPayloadData = WebSocketCloseCode(rawValue: 1007)
    /// 1008: a policy was violated (for example the inbound queue overflowed).
    public static let policyViolation = WebSocketCloseCode(rawValue: 1008)
    /// 1009: a frame or message was too big to process.
    public static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
    /// 1010: the client expected the server to negotiate an extension.
    public static let mandatoryExtension = WebSocketCloseCode(rawValue: 1010)
    /// 1011: the server hit an unexpected condition.
    public static let internalError = WebSocketCloseCode(rawValue: 1011)
    /// 1012: the service is restarting (IANA).
    public static let serviceRestart = WebSocketCloseCode(rawValue: 1012)
    /// 1013: try again later (IANA).
    public static let tryAgainLater = WebSocketCloseCode(rawValue: 1013)
    /// 1014: the gateway received an invalid response (IANA).
    public static let badGateway = WebSocketCloseCode(rawValue: 1014)
    /// 1015: reported locally when the TLS handshake failed; never sent on the wire.
    public static let tlsHandshakeFailure = WebSocketCloseCode(rawValue: 1015)

    /// Whether this code may appear in a Close frame: 1000–1003, 1007–1014 and 3000–4999.
    ///
    /// 1004 is reserved, 1005, 1006 and 1015 are local-only, everything else below 3000 is
    /// unassigned, and 5000 and above do not exist. A peer sending any of those gets a 1002.
    public var isValidOnWire: Bool {
        switch self.rawValue {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    /// The decimal code, e.g. `1000`.
    public var description: String { String(self.rawValue) }
}
