public import NIOCore

/// An event an application sends (protocol §4).
///
/// Where the protocol's rules are structural the types enforce them: a response body is exactly
/// one of bytes, a file or a descriptor; a WebSocket message is exactly one of text or bytes; a
/// status is an integer. The remaining rules (header bytes, status range, SSE field contents,
/// close codes, which events a scope accepts) are checked by
/// ``validate(for:extensions:)``, which servers run on every `send`.
public enum PAGIOutboundEvent: Sendable, Hashable {
    /// `http.response.start`: the status and headers; `trailers` announces
    /// ``httpResponseTrailers(headers:)`` after the body.
    case httpResponseStart(status: Int, headers: PAGIHeaders = [], trailers: Bool = false)
    /// `http.response.body`: a body fragment; `more` says more follow. File and descriptor bodies
    /// always complete the body, whatever `more` says.
    case httpResponseBody(PAGIResponseBody, more: Bool = false)
    /// `http.response.trailers`: the trailer fields; completes the response.
    case httpResponseTrailers(headers: PAGIHeaders = [])
    /// `http.fullflush`: write buffered bytes now. Only with the `fullflush` extension.
    case httpFullFlush

    /// `websocket.accept`: complete the handshake, optionally choosing a subprotocol and adding headers.
    case websocketAccept(subprotocol: String? = nil, headers: PAGIHeaders = [])
    /// `websocket.send`: one message.
    case websocketSend(PAGIWebSocketMessage)
    /// `websocket.keepalive`: ping every `interval` seconds (`0` stops); with `timeout`, a missing
    /// pong within that many seconds closes the connection.
    case websocketKeepalive(interval: Double, timeout: Double? = nil)
    /// `websocket.close`: before accept, reject with 403; after accept, send a Close frame.
    case websocketClose(code: Int = 1000, reason: String = "")
    /// `websocket.http.response.start`: deny the handshake with this response (extension `websocket.http.response`).
    case websocketHTTPResponseStart(status: Int, headers: PAGIHeaders = [])
    /// `websocket.http.response.body`: the denial response's body.
    case websocketHTTPResponseBody(ByteBuffer, more: Bool = false)

    /// `sse.start`: begin the event stream.
    case sseStart(status: Int = 200, headers: PAGIHeaders = [])
    /// `sse.send`: one event dispatch.
    case sseSend(PAGISSEMessage)
    /// `sse.comment`: a comment, ignored by clients' `onmessage`.
    case sseComment(String)
    /// `sse.keepalive`: write `comment` every `interval` seconds (`0` stops).
    case sseKeepalive(interval: Double, comment: String = "")
    /// `sse.close`: end the stream now; `reason` is for logs only and never sent.
    case sseClose(reason: String? = nil)
    /// `sse.http.response.start`: decline the stream with a plain HTTP response.
    case sseHTTPResponseStart(status: Int, headers: PAGIHeaders = [])
    /// `sse.http.response.body`: the decline response's body.
    case sseHTTPResponseBody(ByteBuffer, more: Bool = false)

    /// `lifespan.startup.complete`: the server may start serving.
    case lifespanStartupComplete
    /// `lifespan.startup.failed`: the server must not serve; `message` is logged.
    case lifespanStartupFailed(message: String = "")
    /// `lifespan.shutdown.complete`: the server may exit.
    case lifespanShutdownComplete
    /// `lifespan.shutdown.failed`: cleanup failed; `message` is logged.
    case lifespanShutdownFailed(message: String = "")

    /// An event of an extension or custom protocol; a server rejects types it does not know.
    case custom(PAGICustomEvent)

    /// The event's `type` string.
    public var type: String {
        switch self {
        case .httpResponseStart: "http.response.start"
        case .httpResponseBody: "http.response.body"
        case .httpResponseTrailers: "http.response.trailers"
        case .httpFullFlush: "http.fullflush"
        case .websocketAccept: "websocket.accept"
        case .websocketSend: "websocket.send"
        case .websocketKeepalive: "websocket.keepalive"
        case .websocketClose: "websocket.close"
        case .websocketHTTPResponseStart: "websocket.http.response.start"
        case .websocketHTTPResponseBody: "websocket.http.response.body"
        case .sseStart: "sse.start"
        case .sseSend: "sse.send"
        case .sseComment: "sse.comment"
        case .sseKeepalive: "sse.keepalive"
        case .sseClose: "sse.close"
        case .sseHTTPResponseStart: "sse.http.response.start"
        case .sseHTTPResponseBody: "sse.http.response.body"
        case .lifespanStartupComplete: "lifespan.startup.complete"
        case .lifespanStartupFailed: "lifespan.startup.failed"
        case .lifespanShutdownComplete: "lifespan.shutdown.complete"
        case .lifespanShutdownFailed: "lifespan.shutdown.failed"
        case .custom(let event): event.type
        }
    }
}

/// The payload of an `http.response.body` event: exactly one of inline bytes, a file the server
/// opens, or a descriptor the application owns.
public enum PAGIResponseBody: Sendable, Hashable {
    /// Inline bytes (`body`).
    case bytes(ByteBuffer)
    /// A file the server opens, streams without loading it whole, and closes (`file`).
    /// `path` must be absolute; `length == nil` means to the end of the file.
    case file(path: String, offset: Int64 = 0, length: Int64? = nil)
    /// A readable descriptor the application keeps owning (`fh`): it closes it only after the
    /// `send` returns. `length == nil` means to the end.
    case fileDescriptor(CInt, offset: Int64 = 0, length: Int64? = nil)

    /// Inline UTF-8 text.
    /// - Parameter text: The text to send.
    public static func text(_ text: String) -> PAGIResponseBody {
        .bytes(ByteBuffer(string: text))
    }

    /// An empty inline body.
    public static var empty: PAGIResponseBody { .bytes(ByteBuffer()) }
}

/// The fields of one `sse.send` event (protocol §8.5).
public struct PAGISSEMessage: Sendable, Hashable {
    /// `data`: may span lines; each line becomes one `data:` line on the wire.
    public var data: String
    /// `event`: the event name; must not contain CR or LF.
    public var event: String?
    /// `id`: the last-event id; must not contain CR, LF or NUL.
    public var id: String?
    /// `retry`: the reconnection delay in milliseconds; must be non-negative.
    public var retry: Int?

    /// Creates an event dispatch.
    public init(data: String, event: String? = nil, id: String? = nil, retry: Int? = nil) {
        self.data = data
        self.event = event
        self.id = id
        self.retry = retry
    }
}
