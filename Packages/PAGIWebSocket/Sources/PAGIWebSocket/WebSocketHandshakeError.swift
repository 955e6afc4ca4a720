/// Why an upgrade request was refused, and the HTTP answer to give
/// ([RFC 6455 §4.2.1–4.2.2](https://www.rfc-editor.org/rfc/rfc6455#section-4.2.1)).
public struct WebSocketHandshakeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong with the request.
    public enum Reason: Sendable, Hashable {
        /// The method was not GET.
        case methodNotGET(String)
        /// The HTTP version was not 1.1.
        case unsupportedHTTPVersion(String)
        /// No `Upgrade` header listing `websocket`.
        case missingUpgradeWebSocket
        /// No `Connection` header listing `upgrade`.
        case missingConnectionUpgrade
        /// No `Sec-WebSocket-Key` header.
        case missingKey
        /// More than one `Sec-WebSocket-Key` header.
        case duplicateKey
        /// The key is not canonical base64 of 16 bytes.
        case invalidKey(String)
        /// `Sec-WebSocket-Version` missing or not 13.
        case unsupportedVersion(String?)
        /// `Sec-WebSocket-Extensions` does not follow the RFC 6455 §9.1 grammar.
        case malformedExtensions(String)
    }

    /// What was wrong.
    public var reason: Reason

    /// Creates an error.
    /// - Parameter reason: What was wrong.
    public init(_ reason: Reason) {
        self.reason = reason
    }

    /// The HTTP status to answer with: 426 for an unsupported version, 400 otherwise.
    public var status: Int {
        switch self.reason {
        case .unsupportedVersion: 426
        case .methodNotGET, .unsupportedHTTPVersion, .missingUpgradeWebSocket, .missingConnectionUpgrade, .missingKey,
            .duplicateKey, .invalidKey, .malformedExtensions:
            400
        }
    }

    /// Headers the refusal must carry: `Sec-WebSocket-Version: 13` with a 426 (RFC 6455 §4.4).
    public var responseHeaders: [(name: String, value: String)] {
        switch self.reason {
        case .unsupportedVersion: [(name: "Sec-WebSocket-Version", value: "13")]
        case .methodNotGET, .unsupportedHTTPVersion, .missingUpgradeWebSocket, .missingConnectionUpgrade, .missingKey,
            .duplicateKey, .invalidKey, .malformedExtensions:
            []
        }
    }

    /// What was wrong and what the client must change.
    public var description: String {
        switch self.reason {
        case .methodNotGET(let method):
            "WebSocket upgrade requires GET, got \(method)"
        case .unsupportedHTTPVersion(let version):
            "WebSocket upgrade requires HTTP/1.1, got HTTP/\(version)"
        case .missingUpgradeWebSocket:
            "WebSocket upgrade requires an 'Upgrade: websocket' header"
        case .missingConnectionUpgrade:
            "WebSocket upgrade requires 'upgrade' in the Connection header"
        case .missingKey:
            "WebSocket upgrade requires a Sec-WebSocket-Key header"
        case .duplicateKey:
            "WebSocket upgrade requires exactly one Sec-WebSocket-Key header"
        case .invalidKey(let key):
            "Sec-WebSocket-Key '\(key)' is not the base64 encoding of 16 bytes"
        case .unsupportedVersion(let version):
            "Sec-WebSocket-Version \(version.map { "'\($0)'" } ?? "missing"); only version 13 is supported"
        case .malformedExtensions(let value):
            "Sec-WebSocket-Extensions '\(value)' is malformed; expected 'name; param=value, ...'"
        }
    }
}
