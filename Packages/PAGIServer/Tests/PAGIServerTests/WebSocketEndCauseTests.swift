import PAGI
import Testing

@testable import PAGIServer

@Suite("WebSocketEndCause")
struct WebSocketEndCauseTests {
    @Test(
        "the app's websocket.disconnect per cause (protocol §7.3)",
        arguments: [
            (WebSocketEndCause.peerClosed(code: 4000, reason: "bye"), 4000, "bye"),
            (.peerClosed(code: nil, reason: ""), 1005, ""),
            (.dropped(.clientClosed), 1006, "client_closed"),
            (.dropped(.keepaliveTimeout), 1006, "keepalive_timeout"),
            (.dropped(.writeError), 1006, "write_error"),
            (.serverShutdown, 1006, "server_shutdown"),
            (.protocolViolation(code: 1002, message: "Reserved opcode"), 1002, "protocol_error"),
            (.protocolViolation(code: 1007, message: "Invalid UTF-8"), 1007, "protocol_error"),
            (.receiveQueueOverflow, 1008, "queue_overflow"),
            (.frameTooLarge, 1009, "body_too_large"),
        ]
    )
    func disconnectEvent(cause: WebSocketEndCause, code: Int, reason: String) {
        #expect(cause.disconnectEvent == .websocketDisconnect(code: code, reason: reason))
    }

    @Test("Close frames the server sends")
    func closeFrames() {
        func frame(_ cause: WebSocketEndCause) -> String {
            guard let frame = cause.closeFrame(alreadySentClose: false) else { return "none" }
            return "\(frame.code.map(String.init) ?? "empty") \(frame.reason)"
        }
        #expect(frame(.peerClosed(code: 1000, reason: "done")) == "1000 done")
        #expect(frame(.peerClosed(code: nil, reason: "")) == "empty ", "1005 must not go on the wire")
        #expect(frame(.dropped(.clientClosed)) == "none")
        #expect(frame(.serverShutdown) == "1001 Server shutting down")
        #expect(frame(.protocolViolation(code: 1002, message: "RSV bits must be 0")) == "1002 RSV bits must be 0")
        #expect(frame(.receiveQueueOverflow) == "1008 Message queue overflow")
        #expect(frame(.frameTooLarge) == "1009 Frame too large")
    }

    @Test("no second Close frame once one was sent")
    func noSecondClose() {
        #expect(WebSocketEndCause.peerClosed(code: 1000, reason: "").closeFrame(alreadySentClose: true) == nil)
        #expect(WebSocketEndCause.serverShutdown.closeFrame(alreadySentClose: true) == nil)
    }
}
