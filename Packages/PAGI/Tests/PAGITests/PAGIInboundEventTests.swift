import NIOCore
import PAGI
import Testing

@Suite("PAGIInboundEvent")
struct PAGIInboundEventTests {
    @Test("every event has its protocol type string")
    func typeStrings() {
        let cases: [(PAGIInboundEvent, String)] = [
            (.httpRequest(body: ByteBuffer(string: "x"), more: true), "http.request"),
            (.httpDisconnect, "http.disconnect"),
            (.websocketConnect, "websocket.connect"),
            (.websocketReceive(.text("hi")), "websocket.receive"),
            (.websocketReceive(.binary(ByteBuffer(bytes: [1, 2]))), "websocket.receive"),
            (.websocketDisconnect(code: 1005, reason: ""), "websocket.disconnect"),
            (.sseRequest(body: ByteBuffer(), more: false), "sse.request"),
            (.sseDisconnect(reason: .clientClosed), "sse.disconnect"),
            (.lifespanStartup, "lifespan.startup"),
            (.lifespanShutdown, "lifespan.shutdown"),
            (.custom(PAGICustomEvent(type: "ext.tick")), "ext.tick"),
        ]
        for (event, type) in cases {
            #expect(event.type == type)
        }
    }

    @Test("a body-less request is one empty, final fragment")
    func emptyRequest() {
        #expect(PAGIInboundEvent.emptyHTTPRequest == .httpRequest(body: ByteBuffer(), more: false))
    }

    @Test("a WebSocket message is exactly one of text or bytes")
    func messages() {
        let text = PAGIWebSocketMessage.text("é")
        let binary = PAGIWebSocketMessage.binary(ByteBuffer(string: "é"))
        #expect(text != binary)
    }

    @Test("disconnect reasons use the standard tokens; custom ones get the x- prefix")
    func reasons() {
        let standard: [(PAGIDisconnectReason, String)] = [
            (.clientClosed, "client_closed"), (.clientTimeout, "client_timeout"), (.idleTimeout, "idle_timeout"),
            (.keepaliveTimeout, "keepalive_timeout"), (.writeTimeout, "write_timeout"), (.writeError, "write_error"),
            (.readError, "read_error"), (.protocolError, "protocol_error"), (.serverShutdown, "server_shutdown"),
            (.serverError, "server_error"), (.bodyTooLarge, "body_too_large"), (.queueOverflow, "queue_overflow"),
        ]
        for (reason, token) in standard {
            #expect(reason.rawValue == token)
        }
        #expect(PAGIDisconnectReason.custom("rate-limited").rawValue == "x-rate-limited")
        #expect(PAGIDisconnectReason.custom("x-rate-limited").rawValue == "x-rate-limited")
    }

    @Test("values: NaN and infinities are not permitted, nested too")
    func values() {
        #expect(PAGIValue.map(["a": .array([.int(1), .text("t"), .bytes([0]), .null, .double(1.5)])]).isPermitted)
        #expect(!PAGIValue.double(.nan).isPermitted)
        #expect(!PAGIValue.array([.double(.infinity)]).isPermitted)
        #expect(!PAGIValue.map(["x": .double(-.infinity)]).isPermitted)
    }
}
