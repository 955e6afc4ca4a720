#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict, incremental HTTP/1.0 and HTTP/1.1 request parser (RFC 9112) over borrowed bytes.
///
/// Feed it any split of the input — a whole pipeline of requests at once, or one byte per call —
/// and it yields the same events: ``HTTP1ParseEvent/head``, then zero or more
/// ``HTTP1ParseEvent/body(_:)`` ranges, then ``HTTP1ParseEvent/end``, for each request in order.
/// Each call returns at the first event together with the number of bytes it consumed; the caller
/// advances its buffer by that many bytes and calls again while it wants more events:
///
/// ```swift
/// var parser = HTTP1RequestParser()
/// let result = bytes.withUnsafeBytes { parser.parse($0) }
/// // drop result.consumed bytes, act on result.event
/// ```
///
/// The head's bytes are copied once into a buffer the parser keeps for the connection and reuses
/// for every request, so after the first request parsing allocates nothing (as long as the caller
/// does not keep ``head`` alive into the next request). Body bytes are never copied: they are
/// reported as ranges of the caller's buffer.
///
/// Defences against request smuggling (RFC 9112 §6.1, §6.3, §11.2): `Content-Length` together with
/// `Transfer-Encoding`, conflicting or malformed `Content-Length`, `chunked` not last, obs-fold,
/// whitespace before the colon, bare CR, bare LF (unless ``allowsBareLineFeed``), NUL and control
/// bytes, and missing CRLF after chunk data are all rejected with a ``HTTP1ParseError`` naming the
/// status to answer with. Limits (``HTTP1Limits``) are enforced as bytes arrive.
///
/// Not enforced here: what the application does with the body (the server must drain or close,
/// never reparse an unread body as the next request), and idle or read timeouts.
public struct HTTP1RequestParser: Sendable {
    /// The limits this parser enforces.
    public let limits: HTTP1Limits
    /// Whether a line ended by LF alone is accepted (RFC 9112 §2.2 allows it; off by default because
    /// proxies that disagree about line endings are a smuggling vector).
    public let allowsBareLineFeed: Bool

    enum State: Sendable {
        /// Between requests: the head of the previous request is still readable.
        case idle
        /// Reading the request line and header fields.
        case headSection
        /// ``HTTP1ParseEvent/head`` was returned; the next call starts the body.
        case headComplete
        case contentLengthBody(remaining: Int)
        case chunkSize(value: Int, digits: Int)
        case chunkSizeWhitespace(value: Int)
        case chunkExtension(value: Int, length: Int)
        case chunkSizeLineFeed(value: Int)
        case chunkData(remaining: Int)
        case chunkDataCarriageReturn
        case chunkDataLineFeed
        case trailerSection
        /// The body finished inside the previous call; the next call reports ``HTTP1ParseEvent/end``.
        case endPending
        case failed(HTTP1ParseError)
    }

    var state: State = .idle
    /// The head being built; its byte buffer is the connection's reusable scratch buffer.
    var currentHead: HTTP1RequestHead
    var trailerIndexes: [HTTP1FieldIndex] = []
    /// Header-section scanning: where the section and its current line start in the buffer.
    var sectionStart = 0
    var lineStart = 0
    var fieldCount = 0
    var sawRequestLine = false
    /// Facts gathered from header fields, turned into framing when the section ends.
    var facts = HTTP1HeadFacts()
    /// Chunked body bytes announced so far.
    var chunkedBodySize = 0

    /// Creates a parser for one connection.
    /// - Parameters:
    ///   - limits: The limits to enforce; defaults to the reference server's.
    ///   - allowsBareLineFeed: Whether to accept LF without CR as a line ending (default `false`).
    public init(limits: HTTP1Limits = HTTP1Limits(), allowsBareLineFeed: Bool = false) {
        self.limits = limits
        self.allowsBareLineFeed = allowsBareLineFeed
        var bytes: [UInt8] = []
        // Most heads fit; the buffer grows (once per connection) for bigger ones and keeps its size.
        bytes.reserveCapacity(1024)
        var fields: [HTTP1FieldIndex] = []
        fields.reserveCapacity(16)
        self.currentHead = HTTP1RequestHead(bytes: bytes, fieldIndexes: fields)
    }

    /// The most recent request head. Valid from the ``HTTP1ParseEvent/head`` event until the first
    /// byte of the next request is parsed.
    public var head: HTTP1RequestHead { self.currentHead }

    /// The trailer fields of the most recent chunked request; empty otherwise. Valid from its
    /// ``HTTP1ParseEvent/end`` event until the first byte of the next request is parsed.
    public var trailers: HTTP1HeaderFields {
        HTTP1HeaderFields(bytes: self.currentHead.bytes, fields: self.trailerIndexes)
    }

    /// Whether the parser is between requests (no byte of a next request seen yet). A connection
    /// closed in this state was closed cleanly; closed in any other state, the request was truncated.
    public var isIdle: Bool {
        if case .idle = self.state {
            return true
        }
        return false
    }

    /// Parses as far as the next event.
    ///
    /// - Parameter input: The bytes received and not yet consumed. They are borrowed for the call only.
    /// - Returns: How many bytes were consumed and what they completed. ``HTTP1ParseEvent/needMoreData``
    ///   always consumes the whole input.
    public mutating func parse(_ input: UnsafeRawBufferPointer) -> HTTP1ParseResult {
        var position = 0
        while true {
            switch self.state {
            case .failed(let error):
                return HTTP1ParseResult(consumed: 0, event: .error(error))
            case .idle:
                guard position < input.count else {
                    return HTTP1ParseResult(consumed: position, event: .needMoreData)
                }
                self.beginRequest()
            case .headSection:
                return self.parseSection(input, from: position, isTrailer: false)
            case .trailerSection:
                return self.parseSection(input, from: position, isTrailer: true)
            case .headComplete:
                switch self.currentHead.framing {
                case .none:
                    self.state = .idle
                    return HTTP1ParseResult(consumed: position, event: .end)
                case .contentLength(let length):
                    self.state = .contentLengthBody(remaining: length)
                case .chunked:
                    self.state = .chunkSize(value: 0, digits: 0)
                }
            case .contentLengthBody(let remaining):
                let available = input.count - position
                guard available > 0 else {
                    return HTTP1ParseResult(consumed: position, event: .needMoreData)
                }
                let taken = min(remaining, available)
                self.state = taken == remaining ? .endPending : .contentLengthBody(remaining: remaining - taken)
                return HTTP1ParseResult(consumed: position + taken, event: .body(position..<(position + taken)))
            case .chunkData(let remaining):
                let available = input.count - position
                guard available > 0 else {
                    return HTTP1ParseResult(consumed: position, event: .needMoreData)
                }
                let taken = min(remaining, available)
                self.state = taken == remaining ? .chunkDataCarriageReturn : .chunkData(remaining: remaining - taken)
                return HTTP1ParseResult(consumed: position + taken, event: .body(position..<(position + taken)))
            case .endPending:
                self.state = .idle
                return HTTP1ParseResult(consumed: position, event: .end)
            case .chunkSize, .chunkSizeWhitespace, .chunkExtension, .chunkSizeLineFeed, .chunkDataCarriageReturn,
                .chunkDataLineFeed:
                guard position < input.count else {
                    return HTTP1ParseResult(consumed: position, event: .needMoreData)
                }
                if let error = self.stepChunkFraming(input[position]) {
                    return self.fail(error)
                }
                position += 1
            }
        }
    }

    /// Resets per-request state, keeping the buffers' capacity.
    private mutating func beginRequest() {
        self.currentHead.bytes.removeAll(keepingCapacity: true)
        self.currentHead.fieldIndexes.removeAll(keepingCapacity: true)
        self.trailerIndexes.removeAll(keepingCapacity: true)
        self.currentHead.methodRange = 0..<0
        self.currentHead.targetRange = 0..<0
        self.currentHead.pathRange = 0..<0
        self.currentHead.queryRange = 0..<0
        self.currentHead.version = .http1_1
        self.currentHead.targetForm = .origin
        self.currentHead.framing = .none
        self.currentHead.keepAlive = true
        self.currentHead.expectsContinue = false
        self.currentHead.isUpgradeRequest = false
        self.sectionStart = 0
        self.lineStart = 0
        self.fieldCount = 0
        self.sawRequestLine = false
        self.facts = HTTP1HeadFacts()
        self.chunkedBodySize = 0
        self.state = .headSection
    }

    mutating func fail(_ error: HTTP1ParseError) -> HTTP1ParseResult {
        self.state = .failed(error)
        return HTTP1ParseResult(consumed: 0, event: .error(error))
    }
}
