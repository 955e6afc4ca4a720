import NIOCore
import PAGI

/// `ws-echo`: accepts every WebSocket and sends each message back with its type (text → text,
/// binary → binary) until the peer goes away.
///
/// An `http` request gets `426 Upgrade Required` with `Upgrade: websocket`, which tells a browser
/// or `curl` user what the endpoint wants instead of failing the request.
enum WebSocketEchoApp {
    static let upgradeRequiredBody = "This endpoint speaks WebSocket: connect with a WebSocket client.\n"

    static let app: PAGIApp = { scope, receive, send in
        switch scope {
        case .websocket:
            try await Self.echo(receive: receive, send: send)
        case .http:
            try await Self.answerUpgradeRequired(send: send)
        case .sse, .lifespan:
            throw PAGIUnsupportedScopeError(scope.type)
        }
    }

    /// Accepts the connection and echoes until `websocket.disconnect`. Shared with `welcome`.
    static func echo(receive: PAGIReceive, send: PAGISend) async throws {
        guard case .websocketConnect = try await receive() else { return }
        try await send(.websocketAccept())
        while true {
            switch try await receive() {
            case .websocketReceive(let message):
                try await send(.websocketSend(message))
            case .websocketDisconnect:
                return
            default:
                // A server sends nothing else on a websocket scope; ignoring keeps the echo alive.
                continue
            }
        }
    }

    static func answerUpgradeRequired(send: PAGISend) async throws {
        try await send(
            .httpResponseStart(
                status: 426,
                headers: [
                    ("upgrade", "websocket"), ("content-type", "text/plain; charset=utf-8"),
                    ("content-length", String(Self.upgradeRequiredBody.utf8.count)),
                ]
            )
        )
        try await send(.httpResponseBody(.text(Self.upgradeRequiredBody)))
    }
}
