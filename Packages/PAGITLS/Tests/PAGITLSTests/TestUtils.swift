import CPAGIOpenSSL
import Foundation
import NIOCore
import NIOEmbedded
import NIOPosix
import PAGITLS
import Testing

// MARK: - Throwaway certificates

/// Certificates generated with the `openssl` CLI into a fresh temporary directory, once per test process.
/// Nothing secret is committed: every key is created here and deleted with the directory's owner (the OS).
///
/// Layout: a root CA signs an intermediate CA, which signs the server leaf (`localhost`, 127.0.0.1); the
/// server's chain file holds leaf + intermediate, clients trust the root only. The root also signs the
/// client certificate `alice`; an unrelated "rogue" CA signs `mallory`.
struct TestCertificates: Sendable {
    let directory: String
    var rootCA: String { self.directory + "/root-ca.pem" }
    var serverChain: String { self.directory + "/server-chain.pem" }
    var serverLeaf: String { self.directory + "/server.pem" }
    var serverKey: String { self.directory + "/server.key" }
    var otherKey: String { self.directory + "/other.key" }
    var reloadedChain: String { self.directory + "/reloaded-chain.pem" }
    var reloadedKey: String { self.directory + "/reloaded.key" }
    var clientCertificate: String { self.directory + "/alice.pem" }
    var clientKey: String { self.directory + "/alice.key" }
    var rogueClientCertificate: String { self.directory + "/mallory.pem" }
    var rogueClientKey: String { self.directory + "/mallory.key" }
    var unicodeClientCertificate: String { self.directory + "/zoe.pem" }
    var unicodeClientKey: String { self.directory + "/zoe.key" }
    var encryptedKey: String { self.directory + "/encrypted.key" }
    var garbage: String { self.directory + "/garbage.pem" }

    /// The RFC 4514 subject of `alice`, with the comma in the organisation escaped.
    static let clientSubject = "CN=alice,O=PAGI\\, Tests,C=GB"

    static let shared: TestCertificates = {
        do {
            return try TestCertificates.generate()
        } catch {
            fatalError("generating test certificates with the openssl CLI failed: \(error)")
        }
    }()

    private static func generate() throws -> TestCertificates {
        let directory = NSTemporaryDirectory() + "pagi-tls-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificates = TestCertificates(directory: directory)
        // The keys are throwaway, but no reason to leave them lying in /tmp after the run.
        atexit {
            try? FileManager.default.removeItem(atPath: TestCertificates.shared.directory)
        }
        func path(_ name: String) -> String { directory + "/" + name }
        func key(_ name: String) throws {
            try runOpenSSL(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path(name)])
        }
        func signed(_ name: String, subject: String, by issuer: String, extensions: String) throws {
            try key(name + ".key")
            try runOpenSSL(["req", "-new", "-utf8", "-key", path(name + ".key"), "-subj", subject, "-out", path(name + ".csr")])
            try extensions.write(toFile: path(name + ".ext"), atomically: true, encoding: .utf8)
            try runOpenSSL([
                "x509", "-req", "-in", path(name + ".csr"), "-CA", path(issuer + ".pem"), "-CAkey", path(issuer + ".key"),
                "-CAcreateserial", "-days", "2", "-extfile", path(name + ".ext"), "-out", path(name + ".pem"),
            ])
        }
        let caExtensions = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
        let serverExtensions = "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
        let clientExtensions = "extendedKeyUsage=clientAuth\n"
        for ca in ["root-ca", "rogue-ca"] {
            try key(ca + ".key")
            try runOpenSSL([
                "req", "-x509", "-new", "-key", path(ca + ".key"), "-subj", "/CN=PAGI \(ca)", "-days", "2", "-out", path(ca + ".pem"),
            ])
        }
        try signed("intermediate-ca", subject: "/CN=PAGI intermediate", by: "root-ca", extensions: caExtensions)
        try signed("server", subject: "/CN=localhost", by: "intermediate-ca", extensions: serverExtensions)
        try signed("reloaded", subject: "/CN=reloaded", by: "intermediate-ca", extensions: serverExtensions)
        try signed("alice", subject: "/C=GB/O=PAGI, Tests/CN=alice", by: "root-ca", extensions: clientExtensions)
        try signed("zoe", subject: "/O=Café+OU=Ops/CN=Zoë", by: "root-ca", extensions: clientExtensions)
        try signed("mallory", subject: "/CN=mallory", by: "rogue-ca", extensions: clientExtensions)
        try key("other.key")
        try runOpenSSL(["pkey", "-in", path("other.key"), "-aes256", "-passout", "pass:secret", "-out", path("encrypted.key")])
        let intermediate = try String(contentsOfFile: path("intermediate-ca.pem"), encoding: .utf8)
        for leaf in ["server", "reloaded"] {
            let pem = try String(contentsOfFile: path(leaf + ".pem"), encoding: .utf8)
            try (pem + intermediate).write(toFile: path(leaf + "-chain.pem"), atomically: true, encoding: .utf8)
        }
        try "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
            .write(toFile: path("garbage.pem"), atomically: true, encoding: .utf8)
        return certificates
    }

    /// The server configuration used by most tests.
    func serverConfiguration(
        verifyClient: Bool = false,
        minimumVersion: TLSMinimumVersion = .tls1_2,
        applicationProtocols: [String] = ["http/1.1"]
    ) -> TLSConfiguration {
        TLSConfiguration(
            certificateChainFile: self.serverChain,
            privateKeyFile: self.serverKey,
            caFile: verifyClient ? self.rootCA : nil,
            verifyClient: verifyClient,
            minimumVersion: minimumVersion,
            applicationProtocols: applicationProtocols
        )
    }
}

struct ProcessFailure: Error, CustomStringConvertible {
    var command: [String]
    var status: Int32
    var output: String
    var description: String { "\(self.command.joined(separator: " ")) exited \(self.status): \(self.output)" }
}

/// The result of running a command to completion.
struct ProcessResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs `command` with `input` on stdin, killing it after `timeout` seconds so a wedged client cannot hang the suite.
func runProcess(_ command: [String], input: String = "", keepStdinOpen: Bool = false, timeout: Double = 20) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    if !keepStdinOpen {
        try stdin.fileHandleForWriting.close()
    }
    // Drain both pipes concurrently so a chatty process cannot block on a full pipe.
    let outputs = OutputCollector()
    let group = DispatchGroup()
    for (pipe, isError) in [(stdout, false), (stderr, true)] {
        group.enter()
        DispatchQueue.global().async {
            outputs.store(pipe.fileHandleForReading.readDataToEndOfFile(), isError: isError)
            group.leave()
        }
    }
    if exited.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        exited.wait()
    }
    group.wait()
    if keepStdinOpen {
        try? stdin.fileHandleForWriting.close()
    }
    return ProcessResult(status: process.terminationStatus, standardOutput: outputs.output, standardError: outputs.error)
}

private final class OutputCollector: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var outputData = Data()
    private var errorData = Data()

    func store(_ data: Data, isError: Bool) {
        self.lock.withLock {
            if isError { self.errorData = data } else { self.outputData = data }
        }
    }

    var output: String { self.lock.withLock { String(decoding: self.outputData, as: UTF8.self) } }
    var error: String { self.lock.withLock { String(decoding: self.errorData, as: UTF8.self) } }
}

private func runOpenSSL(_ arguments: [String]) throws {
    let result = try runProcess(["openssl"] + arguments)
    guard result.status == 0 else {
        throw ProcessFailure(command: ["openssl"] + arguments, status: result.status, output: result.standardError)
    }
}

// MARK: - In-process OpenSSL client

/// A TLS client driven by hand through memory BIOs, the peer for ``TLSServerHandler`` in `EmbeddedChannel` tests.
final class TestTLSClient {
    enum HandshakeState: Equatable {
        case inProgress
        case complete
        case failed(String)
    }

    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let readBIO: OpaquePointer
    private let writeBIO: OpaquePointer

    init(
        trusting caFile: String? = TestCertificates.shared.rootCA,
        certificate: String? = nil,
        key: String? = nil,
        minimumVersion: Int32 = TLS1_2_VERSION,
        maximumVersion: Int32 = TLS1_3_VERSION,
        serverName: String? = "localhost",
        applicationProtocols: [String] = [],
        cipherList: String? = nil
    ) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { fatalError("SSL_CTX_new failed") }
        // Level 0 lets the TLS 1.1 refusal test offer TLS 1.1 at all.
        SSL_CTX_set_security_level(context, 0)
        _ = CPAGIOpenSSL_SSL_CTX_set_min_proto_version(context, minimumVersion)
        _ = CPAGIOpenSSL_SSL_CTX_set_max_proto_version(context, maximumVersion)
        if let cipherList { _ = SSL_CTX_set_cipher_list(context, cipherList) }
        if let caFile {
            _ = SSL_CTX_load_verify_locations(context, caFile, nil)
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        }
        if let certificate, let key {
            _ = SSL_CTX_use_certificate_chain_file(context, certificate)
            _ = SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM)
        }
        guard let ssl = SSL_new(context), let readBIO = BIO_new(BIO_s_mem()), let writeBIO = BIO_new(BIO_s_mem()) else {
            fatalError("SSL_new failed")
        }
        _ = CPAGIOpenSSL_BIO_set_mem_eof_return(readBIO, -1)
        SSL_set_bio(ssl, readBIO, writeBIO)
        SSL_set_connect_state(ssl)
        if let serverName { _ = CPAGIOpenSSL_SSL_set_tlsext_host_name(ssl, serverName) }
        if !applicationProtocols.isEmpty {
            let wire = applicationProtocols.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
            _ = SSL_set_alpn_protos(ssl, wire, UInt32(wire.count))
        }
        self.context = context
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
    }

    deinit {
        SSL_free(self.ssl)
        SSL_CTX_free(self.context)
    }

    func handshake() -> HandshakeState {
        ERR_clear_error()
        let result = SSL_do_handshake(self.ssl)
        if result == 1 { return .complete }
        let error = SSL_get_error(self.ssl, result)
        if error == SSL_ERROR_WANT_READ { return .inProgress }
        return .failed(Self.errorText())
    }

    func receive(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in
            _ = BIO_write(self.readBIO, bytes.baseAddress, Int32(bytes.count))
        }
    }

    func takeOutput() -> ByteBuffer? {
        let pending = Int(CPAGIOpenSSL_BIO_pending(self.writeBIO))
        guard pending > 0 else { return nil }
        var buffer = ByteBufferAllocator().buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { space in
            Int(BIO_read(self.writeBIO, space.baseAddress, Int32(pending)))
        }
        return buffer
    }

    func write(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(SSL_write(self.ssl, bytes, Int32(bytes.count)) == Int32(bytes.count))
    }

    /// Everything decryptable so far, and whether the server's `close_notify` was seen.
    func read() -> (text: String, closeNotify: Bool, error: String?) {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            ERR_clear_error()
            let count = SSL_read(self.ssl, &chunk, Int32(chunk.count))
            if count > 0 {
                received += chunk[0..<Int(count)]
                continue
            }
            let error = SSL_get_error(self.ssl, count)
            let text = String(decoding: received, as: UTF8.self)
            if error == SSL_ERROR_ZERO_RETURN { return (text, true, nil) }
            if error == SSL_ERROR_WANT_READ { return (text, false, nil) }
            return (text, false, Self.errorText())
        }
    }

    func sendCloseNotify() {
        _ = SSL_shutdown(self.ssl)
    }

    /// Asks for a TLS 1.2 renegotiation.
    func requestRenegotiation() -> Bool {
        SSL_renegotiate(self.ssl) == 1
    }

    var negotiatedVersion: Int { Int(SSL_version(self.ssl)) }

    private static func errorText() -> String {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            reasons.append(ERR_reason_error_string(code).map { String(cString: $0) } ?? "\(code)")
        }
        return reasons.joined(separator: "; ")
    }
}

// MARK: - Embedded channel harness

/// Records the events that reach the end of the pipeline behind ``TLSServerHandler``.
final class EventRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    var handshakeEvents: [TLSHandshakeCompletedEvent] = []
    var eventCountAtFirstRead: Int?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if self.eventCountAtFirstRead == nil { self.eventCountAtFirstRead = self.handshakeEvents.count }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSHandshakeCompletedEvent {
            self.handshakeEvents.append(event)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// An `EmbeddedChannel` with a ``TLSServerHandler`` and an ``EventRecorder``, connected to a ``TestTLSClient``.
final class EmbeddedTLSPair {
    let channel: EmbeddedChannel
    let handler: TLSServerHandler
    let recorder = EventRecorder()
    let client: TestTLSClient

    init(configuration: TLSConfiguration = TestCertificates.shared.serverConfiguration(), client: TestTLSClient = TestTLSClient()) throws {
        let context = try TLSContext(configuration: configuration)
        self.handler = try TLSServerHandler(context: context)
        self.client = client
        self.channel = EmbeddedChannel()
        try self.channel.pipeline.syncOperations.addHandler(self.handler)
        try self.channel.pipeline.syncOperations.addHandler(self.recorder)
        try self.channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
    }

    /// Moves bytes both ways until the client's handshake ends; the server's error, if any, is rethrown.
    /// - Parameter chunkSize: Deliver client bytes to the server in pieces this large (nil: whole).
    @discardableResult
    func handshake(chunkSize: Int? = nil) throws -> TestTLSClient.HandshakeState {
        for _ in 0..<20 {
            let state = self.client.handshake()
            try self.clientToServer(chunkSize: chunkSize)
            let progressed = try self.serverToClient()
            if state != .inProgress, !progressed { return state }
            if case .failed = state { return state }
            if state == .complete { continue }
        }
        return self.client.handshake()
    }

    /// Sends everything the client has queued to the server.
    func clientToServer(chunkSize: Int? = nil) throws {
        guard var output = self.client.takeOutput() else { return }
        let size = chunkSize ?? output.readableBytes
        while output.readableBytes > 0, self.channel.isActive {
            guard let piece = output.readSlice(length: min(size, output.readableBytes)) else { break }
            try self.channel.writeInbound(piece)
        }
    }

    /// Sends everything the server wrote to the client. - Returns: whether there was anything.
    @discardableResult
    func serverToClient() throws -> Bool {
        var progressed = false
        while let bytes = try self.channel.readOutbound(as: ByteBuffer.self) {
            self.client.receive(bytes)
            progressed = true
        }
        return progressed
    }

    /// All plaintext the server passed up the pipeline so far.
    func serverPlaintext() throws -> String {
        var text = ""
        while var buffer = try self.channel.readInbound(as: ByteBuffer.self) {
            text += buffer.readString(length: buffer.readableBytes) ?? ""
        }
        return text
    }
}

extension ByteBuffer {
    init(text: String) {
        self = ByteBufferAllocator().buffer(string: text)
    }
}

// MARK: - Loopback server

/// Answers on a decrypted connection: an HTTP `GET` gets a `200` whose body describes the TLS connection
/// (then the connection closes); any other input is echoed line by line, and the line `close` closes it.
final class TestResponder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var info: TLSConnectionInfo?
    private var received = ""

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSHandshakeCompletedEvent {
            self.info = event.info
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = Self.unwrapInboundIn(data)
        self.received += buffer.readString(length: buffer.readableBytes) ?? ""
        if self.received.hasPrefix("GET ") {
            guard self.received.contains("\r\n\r\n") else { return }
            let body = Self.describe(self.info) + "\n"
            let response = "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(text: response)), promise: nil)
            context.close(promise: nil)
            return
        }
        while let newline = self.received.firstIndex(of: "\n") {
            let line = String(self.received[..<newline])
            self.received = String(self.received[self.received.index(after: newline)...])
            if line == "close" {
                context.close(promise: nil)
                return
            }
            context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(text: "echo: \(line)\n")), promise: nil)
        }
    }

    static func describe(_ info: TLSConnectionInfo?) -> String {
        guard let info else { return "no tls" }
        return [
            "version=0x" + String(info.protocolVersion, radix: 16),
            "cipher=0x" + String(info.cipherSuite, radix: 16),
            "sni=" + (info.serverName ?? "-"),
            "alpn=" + (info.applicationProtocol ?? "-"),
            "chain=\(info.clientCertificateChainPEM.count)",
            "subject=" + (info.clientSubject ?? "-"),
        ].joined(separator: " ")
    }
}

/// Errors that reached the end of any loopback connection's pipeline (where the server would log them).
final class ErrorLog: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var storage: [String] = []

    func append(_ error: String) { self.lock.withLock { self.storage.append(error) } }
    var errors: [String] { self.lock.withLock { self.storage } }
}

/// Reports a connection's errors to an ``ErrorLog``.
final class ErrorRecorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let log: ErrorLog

    init(log: ErrorLog) { self.log = log }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.log.append("\(error)")
        context.fireErrorCaught(error)
    }
}

/// A tiny NIO server on 127.0.0.1 (ephemeral port): ``TLSServerHandler`` → ``TestResponder`` → ``ErrorRecorder``.
struct LoopbackTLSServer {
    let channel: any Channel
    let errors: ErrorLog
    var port: Int { self.channel.localAddress?.port ?? 0 }

    static func start(configuration: TLSConfiguration) async throws -> LoopbackTLSServer {
        let context = try TLSContext(configuration: configuration)
        let errors = ErrorLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(TLSServerHandler(context: context))
                    try operations.addHandler(TestResponder())
                    try operations.addHandler(ErrorRecorder(log: errors))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return LoopbackTLSServer(channel: channel, errors: errors)
    }

    func stop() async throws {
        try await self.channel.close()
    }
}
