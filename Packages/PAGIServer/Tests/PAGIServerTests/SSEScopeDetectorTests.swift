import PAGI
import Testing

@testable import PAGIServer

@Suite("SSEScopeDetector")
struct SSEScopeDetectorTests {
    @Test(
        "Accept values that list text/event-stream",
        arguments: [
            "text/event-stream",
            "TEXT/Event-Stream",
            "text/html, text/event-stream",
            "text/event-stream;q=0.9",
            "text/event-stream ; charset=utf-8",
            "application/json,text/event-stream",
            "  text/event-stream  ",
            "text/html;x=\"a,b\", text/event-stream",
            "\ttext/event-stream\t,*/*",
        ]
    )
    func detected(accept: String) {
        #expect(SSEScopeDetector.scopeType(headers: [("accept", accept)], isWebSocketUpgrade: false) == .sse)
    }

    @Test(
        "Accept values that do not list it",
        arguments: [
            "text/event-streams",
            "text/event-stream-foo",
            "xtext/event-stream",
            "*/*",
            "text/*",
            "text/html;profile=text/event-stream",
            "text/html;x=\"a, text/event-stream\"",
            "text/event stream",
            "",
        ]
    )
    func notDetected(accept: String) {
        #expect(SSEScopeDetector.scopeType(headers: [("accept", accept)], isWebSocketUpgrade: false) == .http)
    }

    @Test("the header name is matched case-insensitively and any Accept field counts")
    func headerNames() {
        #expect(SSEScopeDetector.acceptsEventStream([("Accept", "text/event-stream")]))
        #expect(SSEScopeDetector.acceptsEventStream([("accept", "text/html"), ("ACCEPT", "text/event-stream")]))
        #expect(!SSEScopeDetector.acceptsEventStream([("x-accept", "text/event-stream")]))
        #expect(!SSEScopeDetector.acceptsEventStream([("content-type", "text/event-stream")]))
        #expect(!SSEScopeDetector.acceptsEventStream([]))
    }

    @Test("a WebSocket upgrade wins over an event-stream Accept")
    func webSocketFirst() {
        let headers: PAGIHeaders = [("accept", "text/event-stream"), ("upgrade", "websocket")]
        #expect(SSEScopeDetector.scopeType(headers: headers, isWebSocketUpgrade: true) == .websocket)
        #expect(SSEScopeDetector.scopeType(headers: [("host", "a")], isWebSocketUpgrade: false) == .http)
    }
}
