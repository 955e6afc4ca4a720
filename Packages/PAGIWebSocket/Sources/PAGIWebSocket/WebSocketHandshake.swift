/// A validated WebSocket upgrade request: what the client offered.
public struct WebSocketHandshakeOffer: Sendable, Hashable {
    /// The `Sec-WebSocket-Key` value (validated: base64 of 16 bytes).
    public var key: String
    /// The `Sec-WebSocket-Accept` value answering ``key``.
    public var acceptValue: String
    /// The offered subprotocols (`Sec-WebSocket-Protocol`), in order of preference.
    public var subprotocols: [String]
    /// The offered extensions (`Sec-WebSocket-Extensions`), in order of preference.
    public var extensions: [WebSocketExtensionOffer]

    /// Creates an offer.
    /// - Parameters:
    ///   - key: The client's key.
    ///   - subprotocols: The offered subprotocols.
    ///   - extensions: The offered extensions.
    public init(key: String, subprotocols: [String] = [], extensions: [WebSocketExtensionOffer] = []) {
        self.key = key
        self.acceptValue = WebSocketHandshake.acceptValue(forKey: key)
        self.subprotocols = subprotocols
        self.extensions = extensions
    }

    /// The headers of the `101 Switching Protocols` answer, in order: `Upgrade`, `Connection`,
    /// `Sec-WebSocket-Accept`, then `Sec-WebSocket-Protocol` and `Sec-WebSocket-Extensions` when given.
    ///
    /// The subprotocol is sent as given; whether it must be one of ``subprotocols`` is the
    /// caller's policy (the reference server did not check ⚠).
    ///
    /// - Parameters:
    ///   - subprotocol: The subprotocol the application chose, if any.
    ///   - deflate: The negotiated permessage-deflate parameters, if any.
    /// - Returns: Header name/value pairs (no CR/LF inside; the key was validated as base64).
    public func responseHeaders(subprotocol: String? = nil, deflate: PerMessageDeflateParameters? = nil) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            (name: "Upgrade", value: "websocket"),
            (name: "Connection", value: "Upgrade"),
            (name: "Sec-WebSocket-Accept", value: self.acceptValue),
        ]
        if let subprotocol { headers.append((name: "Sec-WebSocket-Protocol", value: subprotocol)) }
        if let deflate { headers.append((name: "Sec-WebSocket-Extensions", value: deflate.responseHeaderValue)) }
        return headers
    }
}

/// Opening-handshake helpers ([RFC 6455 §4.2](https://www.rfc-editor.org/rfc/rfc6455#section-4.2)).
public enum WebSocketHandshake {
    /// The GUID appended to the key before hashing (RFC 6455 §1.3).
    public static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Computes `Sec-WebSocket-Accept`: base64(SHA-1(key + GUID)).
    /// - Parameter key: The client's `Sec-WebSocket-Key`, exactly as sent.
    /// - Returns: The accept value.
    public static func acceptValue(forKey key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + acceptGUID).utf8)))
    }

    /// Whether the request asks for a WebSocket upgrade at all: an `Upgrade` header listing
    /// `websocket` and a `Connection` header listing `upgrade` (case-insensitive token lists).
    ///
    /// A request that passes goes to ``validate(method:httpVersion:headers:)`` and gets a 400/426
    /// when it is malformed; one that fails is an ordinary HTTP (or SSE) request.
    ///
    /// - Parameter headers: The request headers (any name case).
    /// - Returns: Whether this is an upgrade attempt.
    public static func isUpgradeRequest(headers: [(name: String, value: String)]) -> Bool {
        Self.headerListContains(headers, name: "upgrade", token: "websocket")
            && Self.headerListContains(headers, name: "connection", token: "upgrade")
    }

    /// Validates an upgrade request and extracts the offer.
    ///
    /// Requires GET, HTTP/1.1, `Upgrade` listing `websocket`, `Connection` listing `upgrade`,
    /// exactly one `Sec-WebSocket-Key` decoding to 16 bytes, and `Sec-WebSocket-Version: 13`
    /// (missing or other → 426 with `Sec-WebSocket-Version: 13`). Stricter than the reference
    /// server, which checked none of method, version or key format (⚠).
    ///
    /// - Parameters:
    ///   - method: The request method (case-sensitive, as HTTP methods are).
    ///   - httpVersion: The HTTP version as `"1.1"`.
    ///   - headers: The request headers (any name case; repeated headers are combined as lists).
    /// - Returns: The offer, or the refusal with its status and headers.
    public static func validate(
        method: String,
        httpVersion: String,
        headers: [(name: String, value: String)]
    ) -> Result<WebSocketHandshakeOffer, WebSocketHandshakeError> {
        guard method == "GET" else { return .failure(.init(.methodNotGET(method))) }
        guard httpVersion == "1.1" else { return .failure(.init(.unsupportedHTTPVersion(httpVersion))) }
        guard headerListContains(headers, name: "upgrade", token: "websocket") else {
            return .failure(.init(.missingUpgradeWebSocket))
        }
        guard headerListContains(headers, name: "connection", token: "upgrade") else {
            return .failure(.init(.missingConnectionUpgrade))
        }
        let versions = values(headers, named: "sec-websocket-version")
        guard versions.count == 1, let version = versions.first, trimmed(version) == "13" else {
            return .failure(.init(.unsupportedVersion(versions.first)))
        }
        let keys = values(headers, named: "sec-websocket-key")
        guard let rawKey = keys.first else { return .failure(.init(.missingKey)) }
        guard keys.count == 1 else { return .failure(.init(.duplicateKey)) }
        let key = trimmed(rawKey)
        guard key.utf8.count == 24, let decoded = Base64.decode(key), decoded.count == 16 else {
            return .failure(.init(.invalidKey(rawKey)))
        }
        let subprotocols = values(headers, named: "sec-websocket-protocol").flatMap(splitList)
        var extensions: [WebSocketExtensionOffer] = []
        for value in values(headers, named: "sec-websocket-extensions") {
            guard let parsed = WebSocketExtensionOffer.parseList(value) else {
                return .failure(.init(.malformedExtensions(value)))
            }
            extensions += parsed
        }
        return .success(WebSocketHandshakeOffer(key: key, subprotocols: subprotocols, extensions: extensions))
    }

    private static func values(_ headers: [(name: String, value: String)], named name: String) -> [String] {
        headers.filter { equalsIgnoringASCIICase($0.name, name) }.map(\.value)
    }

    private static func headerListContains(_ headers: [(name: String, value: String)], name: String, token: String) -> Bool {
        values(headers, named: name).contains { value in
            splitList(value).contains { equalsIgnoringASCIICase($0, token) }
        }
    }

    /// Splits a comma-separated list, trimming spaces/tabs and dropping empty elements.
    private static func splitList(_ value: String) -> [String] {
        value.split(separator: ",", omittingEmptySubsequences: true).map { trimmed(String($0)) }.filter { !$0.isEmpty }
    }

    private static func trimmed(_ value: String) -> String {
        let bytes = Array(value.utf8)
        var start = 0
        var end = bytes.count
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static func equalsIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        let a = a.utf8
        let b = b.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { lowercase($0) == lowercase($1) }
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
