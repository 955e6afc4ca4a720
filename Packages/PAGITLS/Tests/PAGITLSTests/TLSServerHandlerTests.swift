import CPAGIOpenSSL
import Foundation
import NIOCore
import NIOEmbedded
import PAGITLS
import Testing

@Suite("TLSServerHandler")
struct TLSServerHandlerTests {
    let certificates = TestCertificates.shared

    // MARK: Handshake and negotiated info

    @Test(arguments: [(TLS1_2_VERSION, 0x0303), (TLS1_3_VERSION, 0x0304)])
    func handshakeReportsTheNegotiatedConnection(clientVersion: Int32, wireVersion: Int) throws {
        let client = TestTLSClient(maximumVersion: clientVersion, applicationProtocols: ["http/1.1"])
        let pair = try EmbeddedTLSPair(client: client)
        #expect(try pair.handshake() == .complete)

        let info = try #require(pair.handler.connectionInfo)
        #expect(info.protocolVersion == wireVersion)
        #expect(client.negotiatedVersion == wireVersion)
        #expect(info.serverName == "localhost")
        #expect(info.applicationProtocol == "http/1.1")
        #expect(info.serverCertificatePEM == (try String(contentsOfFile: self.certificates.serverLeaf, encoding: .utf8)))
        #expect(info.clientCertificateChainPEM.isEmpty)
        #expect(info.clientSubject == nil)
        #expect(info.clientVerificationError == nil)
        #expect(info.sessionReused == false)
        if wireVersion == 0x0304 {
            #expect(info.cipherName.hasPrefix("TLS_"))
            #expect([0x1301, 0x1302, 0x1303].contains(info.cipherSuite))
        } else {
            // ECDSA certificate + the default list: ECDHE-ECDSA with AES-GCM or ChaCha20.
            #expect(info.cipherName.hasPrefix("ECDHE-ECDSA-"))
            #expect([0xC02B, 0xC02C, 0xCCA9].contains(info.cipherSuite))
        }
        #expect(pair.recorder.handshakeEvents == [TLSHandshakeCompletedEvent(info: info)])
    }

    @Test func cipherSuiteIsTheIANANumberOfTheChosenSuite() throws {
        let client = TestTLSClient(maximumVersion: TLS1_2_VERSION, cipherList: "ECDHE-ECDSA-AES256-GCM-SHA384")
        let pair = try EmbeddedTLSPair(client: client)
        #expect(try pair.handshake() == .complete)
        let info = try #require(pair.handler.connectionInfo)
        #expect(info.cipherName == "ECDHE-ECDSA-AES256-GCM-SHA384")
        #expect(info.cipherSuite == 0xC02C)
    }

    @Test func withoutSNIOrALPNBothAreAbsent() throws {
        let pair = try EmbeddedTLSPair(client: TestTLSClient(trusting: nil, serverName: nil))
        #expect(try pair.handshake() == .complete)
        let info = try #require(pair.handler.connectionInfo)
        #expect(info.serverName == nil)
        #expect(info.applicationProtocol == nil)
    }

    @Test func serverPreferenceDecidesALPN() throws {
        let configuration = self.certificates.serverConfiguration(applicationProtocols: ["h2", "http/1.1"])
        let pair = try EmbeddedTLSPair(
            configuration: configuration,
            client: TestTLSClient(applicationProtocols: ["http/1.1", "h2"])
        )
        #expect(try pair.handshake() == .complete)
        #expect(pair.handler.connectionInfo?.applicationProtocol == "h2")
    }

    @Test func alpnWithoutACommonProtocolFailsTheHandshake() throws {
        let pair = try EmbeddedTLSPair(client: TestTLSClient(applicationProtocols: ["h2"]))
        let error = #expect(throws: TLSConnectionError.self) { try pair.handshake() }
        #expect(error?.description.contains("no application protocol") == true)
        // The alert reaches the client before the connection closes.
        try pair.serverToClient()
        #expect(pair.client.handshake() == .failed("tlsv1 alert no application protocol"))
        #expect(!pair.channel.isActive)
        #expect(pair.recorder.handshakeEvents.isEmpty)
    }

    @Test(arguments: [1, 7, 100])
    func handshakeSurvivesCiphertextSplitAtAnyPoint(chunkSize: Int) throws {
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake(chunkSize: chunkSize) == .complete)
        pair.client.write("split")
        try pair.clientToServer(chunkSize: chunkSize)
        #expect(try pair.serverPlaintext() == "split")
    }

    // MARK: Version policy

    @Test func tls13MinimumRefusesATLS12Client() throws {
        let pair = try EmbeddedTLSPair(
            configuration: self.certificates.serverConfiguration(minimumVersion: .tls1_3),
            client: TestTLSClient(maximumVersion: TLS1_2_VERSION)
        )
        let error = #expect(throws: TLSConnectionError.self) { try pair.handshake() }
        #expect(error?.description.contains("unsupported protocol") == true)
        try pair.serverToClient()
        #expect(pair.client.handshake() == .failed("tlsv1 alert protocol version"))
        #expect(!pair.channel.isActive)
    }

    @Test func tls11IsRefusedWithOpenSSLsReason() throws {
        let pair = try EmbeddedTLSPair(client: TestTLSClient(minimumVersion: TLS1_1_VERSION, maximumVersion: TLS1_1_VERSION))
        let error = #expect(throws: TLSConnectionError.self) { try pair.handshake() }
        guard case .handshakeFailed(let errors) = error else {
            Issue.record("expected handshakeFailed, got \(String(describing: error))")
            return
        }
        #expect(errors.description.contains("unsupported protocol"))
        #expect(error?.description.hasPrefix("SSL handshake failed: ") == true)
        #expect(!pair.channel.isActive)
    }

    // MARK: Client certificates

    @Test func verifiedClientCertificateIsReported() throws {
        let client = TestTLSClient(certificate: self.certificates.clientCertificate, key: self.certificates.clientKey)
        let pair = try EmbeddedTLSPair(configuration: self.certificates.serverConfiguration(verifyClient: true), client: client)
        #expect(try pair.handshake() == .complete)
        // TLS 1.3 verifies the client certificate after the client's handshake completes: deliver its Finished.
        pair.client.write("hello")
        try pair.clientToServer()
        #expect(try pair.serverPlaintext() == "hello")

        let info = try #require(pair.handler.connectionInfo)
        // OpenSSL clients complete their chain from their trust store, so alice's chain arrives as leaf + root.
        let leaf = try String(contentsOfFile: self.certificates.clientCertificate, encoding: .utf8)
        let root = try String(contentsOfFile: self.certificates.rootCA, encoding: .utf8)
        #expect(info.clientCertificateChainPEM == [leaf, root])
        #expect(info.clientSubject == TestCertificates.clientSubject)
        #expect(info.clientVerificationError == nil)
    }

    @Test func clientSubjectKeepsUTF8AndMultiValuedRDNs() throws {
        let client = TestTLSClient(certificate: self.certificates.unicodeClientCertificate, key: self.certificates.unicodeClientKey)
        let pair = try EmbeddedTLSPair(configuration: self.certificates.serverConfiguration(verifyClient: true), client: client)
        #expect(try pair.handshake() == .complete)
        pair.client.write("hi")
        try pair.clientToServer()
        #expect(try pair.serverPlaintext() == "hi")
        // RFC 4514: most specific RDN first, multi-valued RDNs joined with "+", UTF-8 as is (no \XX escapes).
        #expect(pair.handler.connectionInfo?.clientSubject == "CN=Zoë,O=Café+OU=Ops")
    }

    @Test(arguments: [TLS1_2_VERSION, TLS1_3_VERSION])
    func missingClientCertificateIsRefused(clientVersion: Int32) throws {
        let pair = try EmbeddedTLSPair(
            configuration: self.certificates.serverConfiguration(verifyClient: true),
            client: TestTLSClient(maximumVersion: clientVersion)
        )
        let error = #expect(throws: TLSConnectionError.self) {
            try pair.handshake()
            pair.client.write("hello")
            try pair.clientToServer()
        }
        #expect(error?.description.contains("peer did not return a certificate") == true)
        #expect(try pair.serverPlaintext() == "")
        #expect(pair.recorder.handshakeEvents.isEmpty)
        #expect(!pair.channel.isActive)
    }

    @Test(arguments: [TLS1_2_VERSION, TLS1_3_VERSION])
    func clientCertificateFromAnUntrustedCAIsRefused(clientVersion: Int32) throws {
        let client = TestTLSClient(
            certificate: self.certificates.rogueClientCertificate,
            key: self.certificates.rogueClientKey,
            maximumVersion: clientVersion
        )
        let pair = try EmbeddedTLSPair(configuration: self.certificates.serverConfiguration(verifyClient: true), client: client)
        let error = #expect(throws: TLSConnectionError.self) {
            try pair.handshake()
            pair.client.write("hello")
            try pair.clientToServer()
        }
        #expect(error?.description.contains("certificate verify failed") == true)
        #expect(try pair.serverPlaintext() == "")
        #expect(!pair.channel.isActive)
    }

    @Test func clientCertificateIsNotRequestedWithoutVerification() throws {
        let client = TestTLSClient(certificate: self.certificates.clientCertificate, key: self.certificates.clientKey)
        let pair = try EmbeddedTLSPair(client: client)
        #expect(try pair.handshake() == .complete)
        #expect(pair.handler.connectionInfo?.clientCertificateChainPEM == [])
    }

    // MARK: Application data

    @Test func applicationDataFlowsBothWays() throws {
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake() == .complete)
        pair.client.write("GET / HTTP/1.1\r\n\r\n")
        try pair.clientToServer()
        #expect(try pair.serverPlaintext() == "GET / HTTP/1.1\r\n\r\n")
        #expect(pair.recorder.eventCountAtFirstRead == 1)

        try pair.channel.writeAndFlush(ByteBuffer(text: "HTTP/1.1 200 OK\r\n\r\n")).wait()
        try pair.serverToClient()
        #expect(pair.client.read().text == "HTTP/1.1 200 OK\r\n\r\n")
    }

    @Test func smallRequestsGetSmallPlaintextBuffers() throws {
        // An idle keep-alive connection keeps its last read buffer: it must not be a 16 KiB one for 40 bytes.
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake() == .complete)
        pair.client.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        try pair.clientToServer()
        let buffer = try #require(try pair.channel.readInbound(as: ByteBuffer.self))
        #expect(buffer.readableBytes == 35)
        #expect(buffer.capacity < 1024, "capacity \(buffer.capacity)")
        #expect(try pair.channel.readInbound(as: ByteBuffer.self) == nil)
    }

    @Test func largeWritesSpanManyRecordsAndArriveIntact() throws {
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake() == .complete)
        let large = String(repeating: "0123456789abcdef", count: 10_000)  // 160 000 bytes: ten records
        try pair.channel.writeAndFlush(ByteBuffer(text: large)).wait()
        try pair.serverToClient()
        #expect(pair.client.read().text == large)

        pair.client.write(large)
        try pair.clientToServer(chunkSize: 5_000)
        #expect(try pair.serverPlaintext() == large)
    }

    @Test func writesBeforeTheHandshakeAreSentAfterIt() throws {
        let pair = try EmbeddedTLSPair()
        let early = pair.channel.writeAndFlush(ByteBuffer(text: "early"))
        let unflushed = pair.channel.write(ByteBuffer(text: "-late"))
        #expect(try pair.handshake() == .complete)
        try early.wait()
        pair.channel.flush()
        try unflushed.wait()
        try pair.serverToClient()
        #expect(pair.client.read().text == "early-late")
    }

    @Test func writesCompleteOnlyWhenTheirCiphertextIsWritten() throws {
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake() == .complete)
        let first = pair.channel.write(ByteBuffer(text: "a"))
        let empty = pair.channel.write(ByteBuffer())
        let second = pair.channel.write(ByteBuffer(text: "b"))
        pair.channel.flush()
        try first.wait()
        try empty.wait()
        try second.wait()
        try pair.serverToClient()
        #expect(pair.client.read().text == "ab")
    }

    // MARK: Closing

    @Test func closeSendsCloseNotifyBeforeClosing() throws {
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake() == .complete)
        try pair.channel.writeAndFlush(ByteBuffer(text: "bye")).wait()
        let closed = pair.channel.close()
        try closed.wait()
        try pair.serverToClient()
        let received = pair.client.read()
        #expect(received.text == "bye")
        #expect(received.closeNotify)
        #expect(!pair.channel.isActive)
    }

    @Test func peerCloseNotifyIsAnsweredAndTheChannelCloses() throws {
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake() == .complete)
        pair.client.write("last")
        pair.client.sendCloseNotify()
        try pair.clientToServer()
        #expect(try pair.serverPlaintext() == "last")
        try pair.serverToClient()
        #expect(pair.client.read().closeNotify)
        #expect(!pair.channel.isActive)
    }

    @Test func writesAfterCloseFail() throws {
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake() == .complete)
        try pair.channel.close().wait()
        #expect(throws: ChannelError.self) { try pair.channel.writeAndFlush(ByteBuffer(text: "late")).wait() }
    }

    @Test func unflushedWritesFailWhenTheConnectionCloses() throws {
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake() == .complete)
        let pending = pair.channel.write(ByteBuffer(text: "never flushed"))
        try pair.channel.close().wait()
        #expect(throws: ChannelError.ioOnClosedChannel) { try pending.wait() }
        try pair.serverToClient()
        let received = pair.client.read()
        #expect(received.text == "")
        #expect(received.closeNotify)
    }

    @Test func closingDuringTheHandshakeClosesWithoutAlert() throws {
        let pair = try EmbeddedTLSPair()
        _ = pair.client.handshake()
        try pair.clientToServer()
        _ = try pair.channel.readOutbound(as: ByteBuffer.self)
        try pair.channel.close().wait()
        #expect(try pair.channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(!pair.channel.isActive)
    }

    // MARK: Hostile peers

    @Test func randomBytesFailTheHandshakeAndClose() throws {
        let pair = try EmbeddedTLSPair()
        var garbage = ByteBufferAllocator().buffer(capacity: 512)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<512 { garbage.writeInteger(UInt8.random(in: 0...255, using: &generator)) }
        // A first byte of 0x16 could begin a plausible record; make sure this one cannot.
        garbage.setInteger(UInt8(0x47), at: garbage.readerIndex)
        let error = #expect(throws: TLSConnectionError.self) { try pair.channel.writeInbound(garbage) }
        guard case .handshakeFailed(let errors) = error else {
            Issue.record("expected handshakeFailed, got \(String(describing: error))")
            return
        }
        #expect(!errors.entries.isEmpty)
        #expect(!pair.channel.isActive)
        #expect(pair.recorder.handshakeEvents.isEmpty)
    }

    @Test func corruptRecordAfterTheHandshakeIsAReadFailure() throws {
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake() == .complete)
        pair.client.write("tampered")
        var record = try #require(pair.client.takeOutput())
        let last = record.writerIndex - 1
        record.setInteger(record.getInteger(at: last, as: UInt8.self).map { $0 ^ 0xFF } ?? 0, at: last)
        let error = #expect(throws: TLSConnectionError.self) { try pair.channel.writeInbound(record) }
        guard case .readFailed = error else {
            Issue.record("expected readFailed, got \(String(describing: error))")
            return
        }
        #expect(try pair.serverPlaintext() == "")
        #expect(!pair.channel.isActive)
    }

    @Test func renegotiationIsRefusedAndTheConnectionStaysUsable() throws {
        let pair = try EmbeddedTLSPair(client: TestTLSClient(maximumVersion: TLS1_2_VERSION))
        #expect(try pair.handshake() == .complete)
        #expect(pair.client.requestRenegotiation())
        _ = pair.client.handshake()
        try pair.clientToServer()
        try pair.serverToClient()
        // The server answered the renegotiation ClientHello with a no_renegotiation alert, which OpenSSL's
        // client treats as fatal; the server itself carried on and reported nothing.
        let clientView = pair.client.read()
        #expect(clientView.error?.contains("no renegotiation") == true)
        try pair.channel.throwIfErrorCaught()
        #expect(pair.channel.isActive)
        #expect(pair.recorder.handshakeEvents.count == 1)
    }

    @Test func plaintextStopsOnceTheApplicationClosesMidRead() throws {
        let pair = try EmbeddedTLSPair()
        try pair.channel.pipeline.syncOperations.addHandler(CloseOnFirstRead())
        #expect(try pair.handshake() == .complete)
        // More than one plaintext buffer's worth, so the handler passes on a read while records remain.
        let first = String(repeating: "a", count: 40_000)
        pair.client.write(first)
        pair.client.write("second")
        try pair.clientToServer()
        let delivered = try pair.serverPlaintext()
        #expect(!delivered.isEmpty)
        #expect(first.hasPrefix(delivered))
        #expect(delivered.count < first.count)
        #expect(!pair.channel.isActive)
    }

    @Test func bytesAfterCloseAreDiscarded() throws {
        let pair = try EmbeddedTLSPair()
        #expect(try pair.handshake() == .complete)
        pair.client.write("too late")
        let record = try #require(pair.client.takeOutput())
        try pair.channel.close().wait()
        try pair.channel.writeInbound(record)
        #expect(try pair.serverPlaintext() == "")
    }
}

/// Closes the channel from inside the first channelRead, as an HTTP handler does on a malformed request.
private final class CloseOnFirstRead: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
        context.close(promise: nil)
    }
}
