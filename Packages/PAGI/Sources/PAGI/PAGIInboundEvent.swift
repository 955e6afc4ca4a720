public import NIOCore

/// An event an application receives (protocol §4).
///
/// Bodies are `ByteBuffer` slices of the server's receive buffer: handing them to the
/// application copies nothing.
public enum PAGIInboundEvent: Sendable, Hashable {
    /// `http.request`: a fragment of the request body, de-chunked; `more` is `true` while
    /// further fragments follow. A body-less request yields one empty fragment with `more == false`.
    case httpRequest(body: ByteBuffer, more: Bool)
    /// `http.disconnect`: the response was sent, or the client went away.
    case httpDisconnect
    /// `websocket.connect`: always a WebSocket scope's first event.
    case websocketConnect
    /// `websocket.receive`: one whole message.
    case websocketReceive(PAGIWebSocketMessage)
    /// `websocket.disconnect`: the connection ended, with the close `code` and a `reason`
    /// (the peer's close reason, or a ``PAGIDisconnectReason`` token for server-detected endings).
    case websocketDisconnect(code: Int, reason: String)
    /// `sse.request`: a fragment of the request body, as ``httpRequest(body:more:)``.
    case sseRequest(body: ByteBuffer, more: Bool)
    /// `sse.disconnect`: the client went away or the server ended the stream.
    case sseDisconnect(reason: PAGIDisconnectReason)
    /// `lifespan.startup`: the server is ready to serve and waits for the application.
    case lifespanStartup
    /// `lifespan.shutdown`: the server stopped serving and waits for the application.
    case lifespanShutdown
    /// An event of an extension or custom protocol.
    case custom(PAGICustomEvent)

    /// The event's `type` string.
    public var type: String {
        switch self {
        case .httpRequest: "http.request"
        case .httpDisconnect: "http.disconnect"
        case .websocketConnect: "websocket.connect"
        case .websocketReceive: "websocket.receive"
        case .websocketDisconnect: "websocket.disconnect"
        case .sseRequest: "sse.request"
        case .sseDisconnect: "sse.disconnect"
        case .lifespanStartup: "lifespan.startup"
        case .lifespanShutdown: "lifespan.shutdown"
        case .custom(let event): event.type
        }
    }

    /// An empty, final `http.request`: what a request without a body delivers.
    public static var emptyHTTPRequest: PAGIInboundEvent { .httpRequest(body: ByteBuffer(), more: false) }
}

/// One WebSocket message: exactly one of text or bytes, as the protocol requires.
public enum PAGIWebSocketMessage: Sendable, Hashable {
    /// A text message (`text`), UTF-8 on the wire.
    case text(String)
    /// A binary message (`bytes`).
    case binary(ByteBuffer)
}
