import CPAGIOpenSSL
import Foundation
import NIOCore
import NIOPosix
import PAGITLS
import Testing

/// ``TLSServerHandler`` in a real NIO server on 127.0.0.1, driven by the `curl` and `openssl s_client` CLIs.
@Suite("TLSServerHandler over loopback", .serialized, .timeLimit(.minutes(1)))
struct TLSLoopbackTests {
    let certificates = TestCertificates.shared

    private func curl(_ server: LoopbackTLSServer, _ options: [String]) throws -> ProcessResult {
        try runProcess(
            [
                "curl", "-sS", "--max-time", "10", "--cacert", self.certificates.rootCA,
                "--resolve", "localhost:\(server.port):127.0.0.1",
            ] + options + ["https://localhost:\(server.port)/"]
        )
    }

    @Test(arguments: [("--tlsv1.2", "1.2", "0x303"), ("--tlsv1.3", "1.3", "0x304")])
    func curlGetsAResponseOverEachVersion(minimum: String, maximum: String, version: String) async throws {
        let server = try await LoopbackTLSServer.start(configuration: self.certificates.serverConfiguration())
        defer { Task { try await server.stop() } }
        let result = try self.curl(server, [minimum, "--tls-max", maximum, "--http1.1"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("version=\(version) "))
        #expect(result.standardOutput.contains(" sni=localhost alpn=http/1.1 chain=0 subject=-"))
    }

    @Test func curlOfferingH2GetsHTTP11() async throws {
        let server = try await LoopbackTLSServer.start(configuration: self.certificates.serverConfiguration())
        defer { Task { try await server.stop() } }
        let result = try self.curl(server, ["--http2", "-w", "%{http_version}"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("alpn=http/1.1"))
        #expect(result.standardOutput.hasSuffix("\n1.1"))
    }

    @Test func tls11IsRefused() async throws {
        let server = try await LoopbackTLSServer.start(configuration: self.certificates.serverConfiguration())
        defer { Task { try await server.stop() } }
        let result = try self.curl(server, ["--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0"])
        #expect(result.status == 35, "\(result.standardError)")
        #expect(server.errors.errors.contains { $0.contains("SSL handshake failed") && $0.contains("unsupported protocol") })
    }

    @Test func tls13MinimumRefusesTLS12() async throws {
        let server = try await LoopbackTLSServer.start(
            configuration: self.certificates.serverConfiguration(minimumVersion: .tls1_3)
        )
        defer { Task { try await server.stop() } }
        let refused = try self.curl(server, ["--tlsv1.2", "--tls-max", "1.2"])
        #expect(refused.status == 35, "\(refused.standardError)")
        let accepted = try self.curl(server, ["--tlsv1.2"])
        #expect(accepted.standardOutput.hasPrefix("version=0x304 "), "\(accepted.standardError)")
    }

    @Test func verifiedClientCertificateReachesTheApplication() async throws {
        let server = try await LoopbackTLSServer.start(configuration: self.certificates.serverConfiguration(verifyClient: true))
        defer { Task { try await server.stop() } }
        let result = try self.curl(server, ["--cert", self.certificates.clientCertificate, "--key", self.certificates.clientKey])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasSuffix(" subject=\(TestCertificates.clientSubject)\n"))
    }

    @Test(arguments: [false, true])
    func missingOrUntrustedClientCertificateIsRefused(presentRogueCertificate: Bool) async throws {
        let server = try await LoopbackTLSServer.start(configuration: self.certificates.serverConfiguration(verifyClient: true))
        defer { Task { try await server.stop() } }
        let options =
            presentRogueCertificate
            ? ["--cert", self.certificates.rogueClientCertificate, "--key", self.certificates.rogueClientKey] : []
        let result = try self.curl(server, options)
        #expect(result.status != 0)
        #expect(!result.standardOutput.contains("version="))
        #expect(server.errors.errors.contains { $0.hasPrefix("SSL handshake failed") })
    }

    @Test func sClientSeesEchoesAndTheServersCloseNotify() async throws {
        let server = try await LoopbackTLSServer.start(configuration: self.certificates.serverConfiguration())
        defer { Task { try await server.stop() } }
        let result = try runProcess(
            [
                "openssl", "s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "localhost",
                "-CAfile", self.certificates.rootCA, "-verify_return_error", "-msg", "-tls1_3", "-alpn", "http/1.1",
            ],
            input: "hello\nclose\n",
            keepStdinOpen: true
        )
        #expect(result.standardOutput.contains("echo: hello"))
        #expect(result.standardOutput.contains("Verify return code: 0 (ok)"))
        #expect(result.standardOutput.contains("ALPN protocol: http/1.1"))
        // `-msg` traces every record; "<<<" marks what the server sent.
        #expect(
            result.standardOutput.contains("<<< TLS 1.3, Alert [length 0002], warning close_notify"),
            "\(result.standardOutput)"
        )
        // s_client exits on its own once the server closed: it was not killed by the timeout.
        #expect(result.status == 0 || result.status == 1)
    }

    @Test func garbageClientHelloClosesOnlyThatConnection() async throws {
        let server = try await LoopbackTLSServer.start(configuration: self.certificates.serverConfiguration())
        defer { Task { try await server.stop() } }
        let raw = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: server.port)
            .get()
        var garbage = raw.allocator.buffer(capacity: 1024)
        garbage.writeString("GET / HTTP/1.1\r\nHost: plaintext-on-a-tls-port\r\n\r\n")
        for _ in 0..<1000 { garbage.writeInteger(UInt8.random(in: 0...255)) }
        try await raw.writeAndFlush(garbage)
        // The server drops the connection: awaiting its close is the event, no sleeping.
        try await raw.closeFuture.get()

        let result = try self.curl(server, [])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(server.errors.errors.count == 1)
        #expect(server.errors.errors.first?.hasPrefix("SSL handshake failed") == true)
    }
}
