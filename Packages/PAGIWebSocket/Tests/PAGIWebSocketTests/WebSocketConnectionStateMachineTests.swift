import Testing
import PAGIWebSocket

@Suite("WebSocketConnectionStateMachine")
struct WebSocketConnectionStateMachineTests {
    @Test("peer closes first: we echo its code and reason, close, and report them")
    func peerClosesFirst() {
        var machine = WebSocketConnectionStateMachine()
        let close = WebSocketClosePayload(code: .goingAway, reason: "bye")
        let result1 = machine.receivedClose(close)
        #expect(result1 == .replyAndClose(reply: close, disconnect: WebSocketDisconnect(code: .goingAway, reason: "bye")))
        #expect(machine.isClosed)
        #expect(machine.sendMessage() == .drop)
        let result2 = machine.sendClose(WebSocketClosePayload(code: .normalClosure))
        #expect(result2 == .ignore)
    }

    @Test("a code-less Close is answered code-less and reported as 1005")
    func codelessClose() {
        var machine = WebSocketConnectionStateMachine()
        let empty = WebSocketClosePayload(code: nil)
        let result3 = machine.receivedClose(empty)
        #expect(result3 == .replyAndClose(reply: empty, disconnect: WebSocketDisconnect(code: .noStatusReceived, reason: "")))
    }

    @Test("we close first: send, then the peer's Close completes the handshake")
    func weCloseFirst() {
        var machine = WebSocketConnectionStateMachine()
        let ours = WebSocketClosePayload(code: .normalClosure, reason: "done")
        let result4 = machine.sendClose(ours)
        #expect(result4 == .sendClose(ours))
        #expect(!machine.canSendMessages)
        #expect(machine.sendMessage() == .drop)
        let result5 = machine.sendClose(ours)
        #expect(result5 == .ignore)
        #expect(machine.receivedMessage() == .discard)
        #expect(machine.receivedPing([1]) == .ignore)
        #expect(!machine.isClosed)
        let theirs = WebSocketClosePayload(code: .normalClosure)
        let result6 = machine.receivedClose(theirs)
        #expect(result6 == .close(disconnect: WebSocketDisconnect(code: .normalClosure, reason: "")))
        #expect(machine.isClosed)
        let result7 = machine.receivedClose(theirs)
        #expect(result7 == .ignore)
    }

    @Test("while open, messages are delivered and Pings answered")
    func open() {
        let machine = WebSocketConnectionStateMachine()
        #expect(machine.canSendMessages)
        #expect(machine.sendMessage() == .send)
        #expect(machine.receivedMessage() == .deliver)
        #expect(machine.receivedPing([9]) == .sendPong([9]))
    }

    @Test("a protocol error sends its Close and reports protocol_error with the code sent")
    func protocolError() {
        var machine = WebSocketConnectionStateMachine()
        let error = WebSocketProtocolError.invalidUTF8
        #expect(
            machine.protocolViolation(error)
                == .sendCloseAndClose(
                    WebSocketClosePayload(code: .invalidPayloadData, reason: "Invalid UTF-8"),
                    disconnect: WebSocketDisconnect(code: .invalidPayloadData, reason: "protocol_error")))
        let result8 = machine.protocolViolation(error)
        #expect(result8 == .ignore)
    }

    @Test("a protocol error after our Close only closes")
    func protocolErrorAfterClose() {
        var machine = WebSocketConnectionStateMachine()
        _ = machine.sendClose(WebSocketClosePayload(code: .normalClosure))
        let result9 = machine.protocolViolation(.reservedBitsSet)
        #expect(result9 == .close(disconnect: WebSocketDisconnect(code: .protocolError, reason: "protocol_error")))
    }

    @Test("close timeout and lost connections report 1006 with a token, once")
    func abnormalEnds() {
        var waiting = WebSocketConnectionStateMachine()
        _ = waiting.sendClose(WebSocketClosePayload(code: .normalClosure))
        let result10 = waiting.closeTimeoutElapsed()
        #expect(result10 == .close(disconnect: WebSocketDisconnect(code: .abnormalClosure, reason: "client_timeout")))
        let result11 = waiting.closeTimeoutElapsed()
        #expect(result11 == .ignore)
        var open = WebSocketConnectionStateMachine()
        let result12 = open.connectionEnded(reason: "client_closed")
        #expect(result12 == .close(disconnect: WebSocketDisconnect(code: .abnormalClosure, reason: "client_closed")))
        let result13 = open.connectionEnded(reason: "write_error")
        #expect(result13 == .ignore)
    }
}
