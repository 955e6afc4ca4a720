import CPAGIOpenSSL
import NIOCore
import Testing

@testable import PAGITLS

/// The OpenSSL wrapper alone, without a channel: bytes are shuttled between it and a ``TestTLSClient`` by hand.
@Suite("TLSSession")
struct TLSSessionTests {
    private let allocator = ByteBufferAllocator()

    private func makeSession(_ configuration: TLSConfiguration = TestCertificates.shared.serverConfiguration()) throws -> TLSSession {
        try TLSSession(context: TLSContext(configuration: configuration))
    }

    /// Runs both handshakes to completion. - Returns: the server's last result.
    private func handshake(_ session: TLSSession, _ client: TestTLSClient) -> TLSSession.HandshakeResult {
        var result = TLSSession.HandshakeResult.needsInput
        for _ in 0..<10 {
            _ = client.handshake()
            if let output = client.takeOutput() { session.receiveCiphertext(output) }
            result = session.handshake()
            if let output = session.takeCiphertext(allocator: self.allocator) { client.receive(output) }
            if case .failed = result { return result }
            if result == .complete, client.handshake() == .complete { return result }
        }
        return result
    }

    @Test func handshakeNeedsInputUntilTheClientHelloArrives() throws {
        let session = try self.makeSession()
        #expect(session.handshake() == .needsInput)
        #expect(session.takeCiphertext(allocator: self.allocator) == nil)
    }

    @Test func completesAHandshakeAndMovesDataBothWays() throws {
        let session = try self.makeSession()
        let client = TestTLSClient()
        #expect(self.handshake(session, client) == .complete)

        client.write("ping")
        session.receiveCiphertext(try #require(client.takeOutput()))
        var plaintext = self.allocator.buffer(capacity: 64)
        #expect(session.readPlaintext(into: &plaintext) == .read(4))
        #expect(plaintext.readString(length: 4) == "ping")
        #expect(session.readPlaintext(into: &plaintext) == .needsInput)

        #expect(session.writePlaintext(ByteBuffer(string: "pong")) == nil)
        #expect(session.writePlaintext(ByteBuffer()) == nil)
        client.receive(try #require(session.takeCiphertext(allocator: self.allocator)))
        #expect(client.read().text == "pong")
    }

    @Test func reportsThePeersCloseNotifyAndQueuesItsOwn() throws {
        let session = try self.makeSession()
        let client = TestTLSClient()
        #expect(self.handshake(session, client) == .complete)
        client.sendCloseNotify()
        session.receiveCiphertext(try #require(client.takeOutput()))
        var plaintext = self.allocator.buffer(capacity: 64)
        #expect(session.readPlaintext(into: &plaintext) == .closeNotify)

        session.sendCloseNotify()
        client.receive(try #require(session.takeCiphertext(allocator: self.allocator)))
        #expect(client.read().closeNotify)
    }

    @Test func garbageFailsTheHandshakeWithReasonsAndAnAlert() throws {
        let session = try self.makeSession()
        session.receiveCiphertext(ByteBuffer(string: "SSH-2.0-OpenSSH_9.2\r\n"))
        guard case .failed(let errors) = session.handshake() else {
            Issue.record("handshake should fail")
            return
        }
        #expect(errors.description.contains("wrong version number") || errors.description.contains("packet length too long"))
    }

    @Test func aFailedSessionDoesNotLeakItsErrorsIntoTheNextOne() throws {
        let failing = try self.makeSession()
        failing.receiveCiphertext(ByteBuffer(string: "\u{16}\u{03}\u{01}\u{00}\u{05}hello"))
        guard case .failed = failing.handshake() else {
            Issue.record("handshake should fail")
            return
        }
        // The queue is thread-local and shared by every connection on the loop; the next one starts clean.
        let healthy = try self.makeSession()
        #expect(self.handshake(healthy, TestTLSClient()) == .complete)
        #expect(OpenSSLErrorStack.drain().entries.isEmpty)
    }

    @Test func connectionInfoDescribesTheNegotiatedSession() throws {
        let session = try self.makeSession()
        let client = TestTLSClient(maximumVersion: TLS1_3_VERSION, serverName: "localhost", applicationProtocols: ["http/1.1"])
        #expect(self.handshake(session, client) == .complete)
        let info = session.connectionInfo()
        #expect(info.protocolVersion == 0x0304)
        #expect(info.serverName == "localhost")
        #expect(info.applicationProtocol == "http/1.1")
        #expect(info.serverCertificatePEM == session.context.serverCertificatePEM)
    }
}
