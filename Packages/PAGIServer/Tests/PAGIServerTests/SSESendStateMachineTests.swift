import Testing

@testable import PAGIServer

@Suite("SSESendStateMachine")
struct SSESendStateMachineTests {
    private typealias Keepalive = SSESendStateMachine.Keepalive

    private func streaming() -> SSESendStateMachine {
        var machine = SSESendStateMachine()
        _ = machine.start()
        return machine
    }

    private func declining() -> SSESendStateMachine {
        var machine = SSESendStateMachine()
        _ = machine.declineStart()
        return machine
    }

    private func isReject<Action>(_ action: Action) -> Bool {
        String(describing: action).hasPrefix("reject(")
    }

    @Test("start, events, comments, close")
    func streamLifecycle() {
        var machine = SSESendStateMachine()
        #expect(!machine.isStreaming)
        #expect(machine.start() == .writeHead(startKeepalive: nil))
        #expect(machine.isStreaming)
        #expect(machine.write(eventType: "sse.send") == .write)
        #expect(machine.write(eventType: "sse.comment") == .write)
        #expect(machine.keepalive(Keepalive(interval: 5, comment: "")) == .reschedule(Keepalive(interval: 5, comment: "")))
        #expect(machine.close() == .endStream)
        #expect(machine.state == .closedByApp)
    }

    @Test("keepalive before start is remembered (last wins) and handed back with the start")
    func earlyKeepalive() {
        var machine = SSESendStateMachine()
        #expect(machine.keepalive(Keepalive(interval: 1, comment: "a")) == .remember)
        #expect(machine.keepalive(Keepalive(interval: 2, comment: "b")) == .remember)
        #expect(machine.start() == .writeHead(startKeepalive: Keepalive(interval: 2, comment: "b")))
    }

    @Test("an early keepalive with interval 0 cancels the remembered one")
    func earlyKeepaliveStopped() {
        var machine = SSESendStateMachine()
        _ = machine.keepalive(Keepalive(interval: 1, comment: ""))
        _ = machine.keepalive(Keepalive(interval: 0, comment: ""))
        #expect(machine.start() == .writeHead(startKeepalive: nil))
    }

    @Test("NEW: send, comment and close before start are rejected")
    func newRejections() {
        var machine = SSESendStateMachine()
        #expect(self.isReject(machine.write(eventType: "sse.send")))
        #expect(self.isReject(machine.close()))
        #expect(self.isReject(machine.declineBody(more: false)))
        #expect(machine.state == .new(pendingKeepalive: nil))
    }

    @Test("STREAMING: decline events and a second start raise")
    func streamingRejections() {
        var machine = self.streaming()
        #expect(self.isReject(machine.start()))
        #expect(self.isReject(machine.declineStart()))
        #expect(self.isReject(machine.declineBody(more: false)))
        #expect(machine.state == .streaming)
    }

    @Test("DECLINING: body parts then the final body closes; stream events raise")
    func decline() {
        var machine = SSESendStateMachine()
        #expect(machine.declineStart() == .writeDeclineHead)
        #expect(self.isReject(machine.start()))
        #expect(self.isReject(machine.write(eventType: "sse.send")))
        #expect(self.isReject(machine.write(eventType: "sse.comment")))
        #expect(self.isReject(machine.keepalive(Keepalive(interval: 1, comment: ""))))
        #expect(self.isReject(machine.close()))
        #expect(self.isReject(machine.declineStart()))
        #expect(machine.declineBody(more: true) == .writePart)
        #expect(machine.declineBody(more: false) == .writeFinalAndClose)
        #expect(machine.state == .declined)
        #expect(self.isReject(machine.declineBody(more: false)))
    }

    @Test("CLOSED by sse.close: a second close is ignored, stream events raise")
    func closedByApp() {
        var machine = self.streaming()
        _ = machine.close()
        #expect(machine.close() == .dropSilently)
        #expect(self.isReject(machine.write(eventType: "sse.send")))
        #expect(self.isReject(machine.keepalive(Keepalive(interval: 1, comment: ""))))
        #expect(self.isReject(machine.declineStart()))
        #expect(machine.appReturned() == .none)
    }

    @Test("DISCONNECTED: every send is a no-op")
    func disconnected() {
        var machine = self.streaming()
        let owed = machine.peerDisconnected()
        #expect(owed)
        #expect(machine.start() == .dropSilently)
        #expect(machine.write(eventType: "sse.send") == .dropSilently)
        #expect(machine.keepalive(Keepalive(interval: 1, comment: "")) == .dropSilently)
        #expect(machine.close() == .dropSilently)
        #expect(machine.declineStart() == .dropSilently)
        #expect(machine.declineBody(more: false) == .dropSilently)
        #expect(machine.appReturned() == .none)
    }

    @Test("sse.disconnect is owed only after sse.start (streaming or closed by the app)")
    func disconnectOwed() {
        var fresh = SSESendStateMachine()
        let owedFresh = fresh.peerDisconnected()
        #expect(!owedFresh)
        var declined = self.declining()
        let owedDeclined = declined.peerDisconnected()
        #expect(!owedDeclined)
        var closed = self.streaming()
        _ = closed.close()
        let owedClosed = closed.peerDisconnected()
        #expect(owedClosed)
    }

    @Test("app returns: 500 when nothing was sent, end of stream, unfinished decline ended")
    func appReturned() {
        var fresh = SSESendStateMachine()
        #expect(fresh.appReturned() == .sendInternalServerError)
        var streaming = self.streaming()
        #expect(streaming.appReturned() == .endStream)
        #expect(streaming.appReturned() == .none)
        var declining = self.declining()
        #expect(declining.appReturned() == .endDeclineAndClose)
        #expect(declining.appReturned() == .none)
    }

    @Test("rejection messages name the event and say what to do")
    func messages() {
        var machine = SSESendStateMachine()
        guard case .reject(let message) = machine.write(eventType: "sse.send") else {
            Issue.record("expected a rejection")
            return
        }
        #expect(message.contains("sse.send") && message.contains("sse.start first"))
    }
}
