import Testing

@testable import PAGIServer

@Suite("WebSocketSendStateMachine")
struct WebSocketSendStateMachineTests {
    private func open() -> WebSocketSendStateMachine {
        var machine = WebSocketSendStateMachine(denialAdvertised: true)
        _ = machine.accept()
        return machine
    }

    private func denying() -> WebSocketSendStateMachine {
        var machine = WebSocketSendStateMachine(denialAdvertised: true)
        _ = machine.denialStart()
        return machine
    }

    private func isReject<Action>(_ action: Action) -> Bool {
        String(describing: action).hasPrefix("reject(")
    }

    @Test("accept, send, keepalive, close")
    func openLifecycle() {
        var machine = WebSocketSendStateMachine(denialAdvertised: false)
        #expect(!machine.didOpen)
        #expect(machine.accept() == .completeHandshake)
        #expect(machine.didOpen)
        #expect(machine.send() == .sendMessage)
        #expect(machine.keepalive() == .reschedulePings)
        #expect(machine.close() == .sendCloseFrame)
        #expect(machine.state == .closed)
    }

    @Test("close before accept refuses the handshake with 403")
    func closeBeforeAccept() {
        var machine = WebSocketSendStateMachine(denialAdvertised: false)
        #expect(machine.close() == .refuseHandshakeWith403)
        #expect(!machine.didOpen)
        #expect(machine.accept() == .ignore)
        #expect(machine.send() == .ignore)
    }

    @Test("CONNECTING: send and keepalive raise and leave the state alone")
    func connectingRejections() {
        var machine = WebSocketSendStateMachine(denialAdvertised: true)
        #expect(self.isReject(machine.send()))
        #expect(self.isReject(machine.keepalive()))
        #expect(self.isReject(machine.denialBody(more: false)))
        #expect(machine.state == .connecting(denialAdvertised: true))
    }

    @Test("denial: start, body parts, final body closes without ever opening")
    func denial() {
        var machine = WebSocketSendStateMachine(denialAdvertised: true)
        #expect(machine.denialStart() == .writeDenialHead)
        #expect(machine.denialBody(more: true) == .writePart)
        #expect(machine.denialBody(more: false) == .writeFinalAndClose)
        #expect(machine.state == .closed)
        #expect(!machine.didOpen)
        #expect(machine.denialBody(more: false) == .ignore)
        #expect(machine.appReturned() == .none)
    }

    @Test("denial without the advertised extension raises")
    func denialNotAdvertised() {
        var machine = WebSocketSendStateMachine(denialAdvertised: false)
        #expect(self.isReject(machine.denialStart()))
        #expect(machine.state == .connecting(denialAdvertised: false))
    }

    @Test("DENYING: accept, close, send, keepalive and a second start raise")
    func denyingRejections() {
        var machine = self.denying()
        #expect(self.isReject(machine.accept()))
        #expect(self.isReject(machine.close()))
        #expect(self.isReject(machine.send()))
        #expect(self.isReject(machine.keepalive()))
        #expect(self.isReject(machine.denialStart()))
        #expect(machine.state == .denying)
    }

    @Test("OPEN: accept and denial events are ignored (⚠ unlike SSE, which raises)")
    func openIgnores() {
        var machine = self.open()
        #expect(machine.accept() == .ignore)
        #expect(machine.denialStart() == .ignore)
        #expect(machine.denialBody(more: false) == .ignore)
        #expect(machine.state == .open)
    }

    @Test("CLOSED: everything is a no-op")
    func closedNoOps() {
        var machine = self.open()
        machine.connectionEnded()
        #expect(machine.accept() == .ignore)
        #expect(machine.send() == .ignore)
        #expect(machine.keepalive() == .ignore)
        #expect(machine.close() == .ignore)
        #expect(machine.denialStart() == .ignore)
        #expect(machine.denialBody(more: true) == .ignore)
        #expect(machine.appReturned() == .none)
        #expect(machine.didOpen)
    }

    @Test("app returns: 403 unanswered, unfinished denial ended, open socket closed normally")
    func appReturned() {
        var fresh = WebSocketSendStateMachine(denialAdvertised: false)
        #expect(fresh.appReturned() == .refuseHandshakeWith403)
        var denying = self.denying()
        #expect(denying.appReturned() == .endDenialAndClose)
        var open = self.open()
        #expect(open.appReturned() == .sendNormalCloseFrame)
        #expect(open.appReturned() == .none)
    }

    @Test("rejection messages say what to do")
    func messages() {
        var machine = WebSocketSendStateMachine(denialAdvertised: false)
        guard case .reject(let message) = machine.send() else {
            Issue.record("expected a rejection")
            return
        }
        #expect(message.contains("websocket.send") && message.contains("accept the connection first"))
    }
}
