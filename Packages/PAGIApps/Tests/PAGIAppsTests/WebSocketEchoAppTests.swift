import NIOCore
import PAGI
import Testing

@testable import PAGIApps

@Suite("WebSocketEchoApp")
struct WebSocketEchoAppTests {
    @Test("accepts, echoes each message with its type in order, returns on disconnect")
    func echoes() async throws {
        let connection = FakeConnection(
            inbound: [
                .websocketConnect,
                .websocketReceive(.text("hello")),
                .websocketReceive(.binary(ByteBuffer(bytes: [0, 1, 255]))),
                .websocketReceive(.text("")),
                .websocketReceive(.text("ünïcode ✓")),
                .websocketDisconnect(code: 1000, reason: ""),
                .websocketReceive(.text("after the disconnect")),
            ],
            scopeType: .websocket
        )
        try await PAGIApps.webSocketEcho(makeScope(.websocket, path: "/"), connection.receive, connection.send)
        #expect(
            connection.sent == [
                .websocketAccept(),
                .websocketSend(.text("hello")),
                .websocketSend(.binary(ByteBuffer(bytes: [0, 1, 255]))),
                .websocketSend(.text("")),
                .websocketSend(.text("ünïcode ✓")),
            ]
        )
        #expect(connection.unreadInbound == 1, "the app must stop reading at websocket.disconnect")
    }

    @Test("a scope whose first event is not websocket.connect gets no answer")
    func noConnect() async throws {
        let connection = FakeConnection(inbound: [.websocketDisconnect(code: 1006, reason: "client_closed")], scopeType: .websocket)
        try await PAGIApps.webSocketEcho(makeScope(.websocket, path: "/"), connection.receive, connection.send)
        #expect(connection.sent.isEmpty)
    }

    @Test("an http request gets 426 with Upgrade: websocket and a hint")
    func httpUpgradeRequired() async throws {
        let response = try await respond(PAGIApps.webSocketEcho, makeScope())
        #expect(response.status == 426)
        #expect(response.header("upgrade") == "websocket")
        #expect(response.text == WebSocketEchoApp.upgradeRequiredBody)
        #expect(response.header("content-length") == String(response.body.count))
    }

    @Test("sse and lifespan scopes are refused", arguments: [PAGIScopeType.sse, .lifespan])
    func refusesOtherScopes(type: PAGIScopeType) async {
        let scope = type == .lifespan ? PAGIScope.lifespan(LifespanScope()) : makeScope(.sse, path: "/")
        let connection = FakeConnection(scopeType: type)
        await #expect(throws: PAGIUnsupportedScopeError.self) {
            try await PAGIApps.webSocketEcho(scope, connection.receive, connection.send)
        }
    }
}
