/// How a request's body is delimited (RFC 9112 §6.3).
public enum HTTP1BodyFraming: Sendable, Hashable {
    /// No body: neither `Content-Length` nor `Transfer-Encoding`, or `Content-Length: 0`.
    case none
    /// A body of exactly this many bytes (> 0).
    case contentLength(Int)
    /// A chunked body of unknown length.
    case chunked
}

/// The form of a request target (RFC 9112 §3.2).
public enum HTTP1TargetForm: Sendable, Hashable {
    /// `/path?query` — the usual form.
    case origin
    /// `http://host/path?query` — sent to proxies; servers must accept it. ``HTTP1RequestHead/rawPath``
    /// is the path part (`/` when empty).
    case absolute
    /// `host:port` — only with `CONNECT`.
    case authority
    /// `*` — only with `OPTIONS`.
    case asterisk
}

/// The head of a parsed request: request line, header fields and the framing facts derived from them.
///
/// All byte accessors are slices of one buffer owned by the parser, so reading them copies nothing.
///
/// - Important: The parser reuses that buffer for the next request on the connection. Holding a
///   head past the next request's first byte is safe (copy-on-write) but costs an allocation; drop
///   it once the scope is built to keep keep-alive parsing allocation-free.
public struct HTTP1RequestHead: Sendable, Hashable {
    @usableFromInline var bytes: [UInt8]
    @usableFromInline var fieldIndexes: [HTTP1FieldIndex]
    @usableFromInline var methodRange: Range<Int> = 0..<0
    @usableFromInline var targetRange: Range<Int> = 0..<0
    @usableFromInline var pathRange: Range<Int> = 0..<0
    @usableFromInline var queryRange: Range<Int> = 0..<0

    /// The protocol version of the request line (1.0 or 1.1).
    public internal(set) var version: HTTP1Version = .http1_1
    /// The form of the request target.
    public internal(set) var targetForm: HTTP1TargetForm = .origin
    /// How the body is delimited.
    public internal(set) var framing: HTTP1BodyFraming = .none
    /// Whether the connection may carry another request after this one (RFC 9112 §9.3): HTTP/1.1
    /// unless `Connection` lists `close`; HTTP/1.0 only if it lists `keep-alive` and not `close`.
    public internal(set) var keepAlive: Bool = true
    /// Whether the request carries `Expect: 100-continue` (case-insensitive). The server should send
    /// `100 Continue` before reading the body, and only if it will read it.
    public internal(set) var expectsContinue: Bool = false
    /// Whether the request asks to switch protocols: an `Upgrade` field is present and `Connection`
    /// lists `upgrade`. A hint only — the WebSocket handshake does its own checks.
    ///
    /// - Important: Once the server accepts an upgrade (after this request's ``HTTP1ParseEvent/end``),
    ///   it must stop feeding the parser: the bytes that follow belong to the new protocol.
    public internal(set) var isUpgradeRequest: Bool = false

    init(bytes: [UInt8], fieldIndexes: [HTTP1FieldIndex]) {
        self.bytes = bytes
        self.fieldIndexes = fieldIndexes
    }

    /// The method exactly as sent (case preserved, e.g. `GET`).
    public var method: ArraySlice<UInt8> { self.bytes[self.methodRange] }
    /// The method as text. Methods are ASCII tokens, and short ones stay inline in the `String`.
    public var methodString: String { String(decoding: self.method, as: UTF8.self) }
    /// The request target exactly as sent.
    public var target: ArraySlice<UInt8> { self.bytes[self.targetRange] }
    /// The path part of the target, still percent-encoded: the PAGI `raw_path`. For the asterisk and
    /// authority forms this is the whole target.
    public var rawPath: ArraySlice<UInt8> { self.bytes[self.pathRange] }
    /// Everything after the first `?` of the target, undecoded: the PAGI `query_string` (empty when
    /// there is no `?`).
    public var queryString: ArraySlice<UInt8> { self.bytes[self.queryRange] }
    /// The header fields in order received, names lower-cased.
    public var headers: HTTP1HeaderFields { HTTP1HeaderFields(bytes: self.bytes, fields: self.fieldIndexes) }
    /// ``rawPath`` percent-decoded to bytes (`+` stays `+`, `%2F` becomes `/`); see
    /// ``HTTP1TargetDecoder/percentDecode(_:)``.
    public var decodedPath: [UInt8] { HTTP1TargetDecoder.percentDecode(self.rawPath) }

    /// Two heads are equal when their request lines, fields and derived facts are equal.
    public static func == (lhs: HTTP1RequestHead, rhs: HTTP1RequestHead) -> Bool {
        lhs.method == rhs.method && lhs.target == rhs.target && lhs.rawPath == rhs.rawPath
            && lhs.queryString == rhs.queryString && lhs.version == rhs.version && lhs.targetForm == rhs.targetForm
            && lhs.framing == rhs.framing && lhs.keepAlive == rhs.keepAlive && lhs.expectsContinue == rhs.expectsContinue
            && lhs.isUpgradeRequest == rhs.isUpgradeRequest && lhs.headers == rhs.headers
    }

    /// Hashes the request line and fields.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.method)
        hasher.combine(self.target)
        hasher.combine(self.version)
        hasher.combine(self.framing)
        hasher.combine(self.headers)
    }
}
