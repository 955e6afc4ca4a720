/// The request facts the response framing depends on.
public struct HTTP1ResponseContext: Sendable, Hashable {
    /// The request's version; the status line echoes it.
    public var version: HTTP1Version
    /// Whether the request method was `HEAD` (no body bytes are ever written).
    public var isHeadRequest: Bool
    /// Whether the connection may stay open after the response. Start from the request's
    /// ``HTTP1RequestHead/keepAlive``; set `false` to close after this response (shutdown, unread body, error).
    public var keepAlive: Bool

    /// Creates a context from explicit values.
    /// - Parameters:
    ///   - version: The request's version.
    ///   - isHeadRequest: Whether the method was `HEAD`.
    ///   - keepAlive: Whether the connection may stay open.
    public init(version: HTTP1Version, isHeadRequest: Bool, keepAlive: Bool) {
        self.version = version
        self.isHeadRequest = isHeadRequest
        self.keepAlive = keepAlive
    }

    /// Creates the context of a parsed request.
    /// - Parameter head: The request head.
    public init(requestHead head: HTTP1RequestHead) {
        self.init(version: head.version, isHeadRequest: head.method.elementsEqual("HEAD".utf8), keepAlive: head.keepAlive)
    }
}

/// How a response's body is delimited, and whether the connection survives it (RFC 9112 §6.3, §9.3).
///
/// | Response | Framing |
/// |---|---|
/// | `HEAD` request, 1xx, 204, 304 | ``Body/none`` — no body bytes, never chunked |
/// | app sent `content-length` | ``Body/contentLength`` |
/// | HTTP/1.1, no `content-length` | ``Body/chunked`` (+ `transfer-encoding: chunked`) |
/// | HTTP/1.0, no `content-length` | ``Body/untilClose`` (+ `connection: close`, and the server closes) |
public struct HTTP1ResponseFraming: Sendable, Hashable {
    /// The body delimitation.
    public enum Body: Sendable, Hashable {
        /// No body may be written.
        case none
        /// Exactly the bytes announced by the application's `content-length`.
        case contentLength
        /// Chunked transfer coding; finish with ``HTTP1ChunkedEncoder/writeLastChunk(into:)``.
        case chunked
        /// Raw bytes ended by closing the connection (HTTP/1.0 without a length).
        case untilClose
    }

    /// The body delimitation.
    public var body: Body
    /// Whether the server may keep the connection open after this response.
    public var keepAlive: Bool
    /// Whether an application `content-length` must be dropped (1xx and 204 must not carry one,
    /// RFC 9110 §8.6).
    public var dropsContentLength: Bool

    /// Decides the framing of a response.
    /// - Parameters:
    ///   - status: The response status.
    ///   - context: The request facts.
    ///   - hasContentLength: Whether the application supplied `content-length`.
    public init(status: Int, context: HTTP1ResponseContext, hasContentLength: Bool) {
        let forbidsBody = (100..<200).contains(status) || status == 204 || status == 304
        self.dropsContentLength = (100..<200).contains(status) || status == 204
        if context.isHeadRequest || forbidsBody {
            self.body = .none
            self.keepAlive = context.keepAlive
        } else if hasContentLength {
            self.body = .contentLength
            self.keepAlive = context.keepAlive
        } else if context.version == .http1_1 {
            self.body = .chunked
            self.keepAlive = context.keepAlive
        } else {
            self.body = .untilClose
            self.keepAlive = false
        }
    }

    /// Whether trailers can be sent (only a chunked body has room for them; otherwise they are dropped).
    public var allowsTrailers: Bool { self.body == .chunked }
}
