import Testing

@testable import PAGITLS

@Suite("TLSConnectionStateMachine")
struct TLSConnectionStateMachineTests {
    private func openMachine() -> TLSConnectionStateMachine {
        var machine = TLSConnectionStateMachine()
        _ = machine.channelActive()
        machine.handshakeCompleted()
        return machine
    }

    @Test func activationStartsTheHandshakeOnce() {
        var machine = TLSConnectionStateMachine()
        #expect(machine.state == .idle)
        let started = machine.channelActive()
        #expect(started)
        #expect(machine.state == .handshaking)
        let channelActiveAgain = machine.channelActive()
        #expect(!channelActiveAgain)
    }

    @Test func dataBeforeActivationStartsTheHandshake() {
        var machine = TLSConnectionStateMachine()
        let inboundAction = machine.receivedCiphertext()
        #expect(inboundAction == .handshake)
        #expect(machine.state == .handshaking)
    }

    @Test func writesAreBufferedAndFlushesDeferredWhileHandshaking() {
        var machine = TLSConnectionStateMachine()
        _ = machine.channelActive()
        #expect(machine.writeRequested() == .buffer)
        #expect(machine.flushRequested() == .deferUntilOpen)
        let inboundAction = machine.receivedCiphertext()
        #expect(inboundAction == .handshake)
    }

    @Test func openConnectionDecryptsAndEncrypts() {
        var machine = self.openMachine()
        #expect(machine.state == .open)
        let inboundAction = machine.receivedCiphertext()
        #expect(inboundAction == .decrypt)
        #expect(machine.writeRequested() == .buffer)
        #expect(machine.flushRequested() == .encryptAndSend)
    }

    @Test func closingDuringHandshakeClosesAtOnce() {
        var machine = TLSConnectionStateMachine()
        _ = machine.channelActive()
        let closeAction = machine.closeRequested()
        #expect(closeAction == .closeNow)
        #expect(machine.state == .closed)
        let inboundAction = machine.receivedCiphertext()
        #expect(inboundAction == .discard)
    }

    @Test func closingAnOpenConnectionSendsCloseNotifyAndStillReads() {
        var machine = self.openMachine()
        let closeAction = machine.closeRequested()
        #expect(closeAction == .sendCloseNotifyThenClose)
        #expect(machine.state == .closing)
        let inboundAction = machine.receivedCiphertext()
        #expect(inboundAction == .decrypt)
        #expect(machine.writeRequested() == .fail)
        #expect(machine.flushRequested() == .ignore)
        let secondCloseAction = machine.closeRequested()
        #expect(secondCloseAction == .joinPendingClose)
        let peerCloseAction = machine.peerSentCloseNotify()
        #expect(peerCloseAction == .close)
        #expect(machine.state == .closed)
    }

    @Test func peerCloseNotifyIsAnsweredThenCloses() {
        var machine = self.openMachine()
        let peerCloseAction = machine.peerSentCloseNotify()
        #expect(peerCloseAction == .replyThenClose)
        #expect(machine.state == .closing)
        #expect(machine.writeRequested() == .fail)
    }

    @Test func failureAndInactivityCloseForGood() {
        var failed = self.openMachine()
        failed.failed()
        #expect(failed.state == .closed)
        let inboundAction = failed.receivedCiphertext()
        #expect(inboundAction == .discard)
        let peerCloseAction = failed.peerSentCloseNotify()
        #expect(peerCloseAction == .ignore)
        let closeAction = failed.closeRequested()
        #expect(closeAction == .closeNow)

        var inactive = self.openMachine()
        inactive.channelInactive()
        #expect(inactive.state == .closed)
        #expect(inactive.writeRequested() == .fail)
    }
}
