import Foundation
import PAGI
import PAGITLS
import Synchronization
import Testing

@testable import PAGIServer

/// Certificates for the in-process HTTPS tests, made with the openssl CLI in a fresh directory.
struct ScopeTestCertificates: Sendable {
    let directory: String
    var ca: String { self.directory + "/ca.pem" }
    var server: String { self.directory + "/server.pem" }
    var serverKey: String { self.directory + "/server.key" }
    var client: String { self.directory + "/alice.pem" }
    var clientKey: String { self.directory + "/alice.key" }
    /// A second certificate for `localhost` from the same CA: the "renewed" one.
    var renewed: String { self.directory + "/renewed.pem" }
    var renewedKey: String { self.directory + "/renewed.key" }

    static let opensslPath = "/usr/bin/openssl"
    static let curlPath = "/usr/bin/curl"
    static var toolsInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: opensslPath) && FileManager.default.isExecutableFile(atPath: curlPath)
    }

    static func generate() throws -> ScopeTestCertificates {
        let directory = NSTemporaryDirectory() + "pagi-tls-scope-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ name: String) -> String { directory + "/" + name }
        func key(_ name: String) throws {
            try run(opensslPath, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path(name + ".key")])
        }
        try key("ca")
        try run(opensslPath, [
            "req", "-x509", "-new", "-key", path("ca.key"), "-subj", "/CN=Scope CA", "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", "-out", path("ca.pem"),
        ])
        for (name, subject, ext) in [
            ("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\n"),
            ("alice", "/C=GB/O=PAGI Tests/CN=alice", "extendedKeyUsage=clientAuth\n"),
            ("renewed", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\n"),
        ] {
            try key(name)
            try run(opensslPath, ["req", "-new", "-key", path(name + ".key"), "-subj", subject, "-out", path(name + ".csr")])
            try ext.write(toFile: path(name + ".ext"), atomically: true, encoding: .utf8)
            try run(opensslPath, [
                "x509", "-req", "-in", path(name + ".csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"), "-set_serial", "7",
                "-days", "2", "-extfile", path(name + ".ext"), "-out", path(name + ".pem"),
            ])
        }
        return ScopeTestCertificates(directory: directory)
    }

    func remove() { try? FileManager.default.removeItem(atPath: self.directory) }

    /// Runs a tool to completion (bounded by its own arguments, e.g. curl's --max-time); returns stdout.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestClientError("\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite(
    "PAGIServer over TLS: scheme and the tls extension",
    .serialized,
    .enabled(if: ScopeTestCertificates.toolsInstalled, "needs the openssl and curl tools (apt-get install openssl curl)")
)
struct TLSScopeTests {
    /// Records every http scope's scheme and extensions, and answers 200.
    final class Recorder: Sendable {
        let scopes = Mutex<[PAGIRequestInfo]>([])
        var app: PAGIApp {
            { scope, _, send in
                if let request = scope.request { self.scopes.withLock { $0.append(request) } }
                try await send(.httpResponseStart(status: 200, headers: [("content-type", "text/plain")]))
                try await send(.httpResponseBody(.text("ok")))
            }
        }
    }

    static func curl(_ port: Int, _ extra: [String]) async throws -> String {
        try await onBlockingThread {
            try ScopeTestCertificates.run(
                ScopeTestCertificates.curlPath,
                ["-s", "--max-time", "10", "--resolve", "localhost:\(port):127.0.0.1"] + extra
            )
        }
    }

    @Test("a TLS connection's scopes say https and carry the negotiated tls data; every request on it does")
    func tlsScope() async throws {
        let certificates = try ScopeTestCertificates.generate()
        defer { certificates.remove() }
        let recorder = Recorder()
        try await withServer(recorder.app, configure: {
            $0.tls = TLSConfiguration(
                certificateChainFile: certificates.server, privateKeyFile: certificates.serverKey,
                caFile: certificates.ca, verifyClient: true
            )
        }) { _, port in
            let url = "https://localhost:\(port)/a"
            let body = try await Self.curl(port, [
                "--tlsv1.3", "--cacert", certificates.ca, "--cert", certificates.client, "--key", certificates.clientKey, url, url,
            ])
            #expect(body == "okok")
            let body12 = try await Self.curl(port, [
                "--tlsv1.2", "--tls-max", "1.2", "--cacert", certificates.ca, "--cert", certificates.client, "--key", certificates.clientKey, url,
            ])
            #expect(body12 == "ok")
        }
        let scopes = recorder.scopes.withLock { $0 }
        try #require(scopes.count == 3)
        let serverPEM = try String(contentsOfFile: certificates.server, encoding: .utf8)
        let clientPEM = try String(contentsOfFile: certificates.client, encoding: .utf8)
        for (index, scope) in scopes.enumerated() {
            #expect(scope.scheme == "https")
            let tls = try #require(scope.extensions.tls, "scope \(index) has no tls extension")
            #expect(scope.extensions.contains(PAGIExtensions.tlsName))
            #expect(tls.tlsVersion == (index < 2 ? 0x0304 : 0x0303))
            if index < 2 {
                #expect([0x1301, 0x1302, 0x1303].contains(tls.cipherSuite ?? 0))
            } else {
                // ECDHE-ECDSA-AES*-GCM or ChaCha20 with this P-256 certificate.
                #expect([0xC02B, 0xC02C, 0xCCA9].contains(tls.cipherSuite ?? 0), "cipher \(String(tls.cipherSuite ?? 0, radix: 16))")
            }
            #expect(tls.clientCertificateName == "CN=alice,O=PAGI Tests,C=GB")
            #expect(tls.clientCertificateChain.first?.trimmingCharacters(in: .whitespacesAndNewlines) == clientPEM.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(tls.serverCertificate?.trimmingCharacters(in: .whitespacesAndNewlines) == serverPEM.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(tls.clientCertificateError == nil)
            #expect(tls.serverName == "localhost")
            #expect(tls.alpnProtocol == "http/1.1")
        }
    }

    @Test(
        "a WebSocket over TLS says wss and carries the tls data",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3 for the WebSocket client")
    )
    func webSocketScope() async throws {
        let certificates = try ScopeTestCertificates.generate()
        defer { certificates.remove() }
        let recorded = Mutex<PAGIRequestInfo?>(nil)
        let app: PAGIApp = { scope, receive, send in
            guard case .websocket = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            recorded.withLock { $0 = scope.request }
            guard case .websocketConnect = try await receive() else { return }
            try await send(.websocketAccept())
            while case .websocketReceive(let message) = try await receive() {
                try await send(.websocketSend(message))
            }
        }
        try await withServer(app, configure: {
            $0.tls = TLSConfiguration(certificateChainFile: certificates.server, privateKeyFile: certificates.serverKey)
        }) { _, port in
            let output = try await onBlockingThread {
                try ScopeTestCertificates.run("/usr/bin/python3", ["-c", Self.webSocketClient, String(port), certificates.ca])
            }
            #expect(output.contains("HTTP/1.1 101"))
            #expect(output.contains("echo=ping"))
        }
        let scope = try #require(recorded.withLock { $0 })
        #expect(scope.scheme == "wss")
        let tls = try #require(scope.extensions.tls)
        #expect(tls.tlsVersion == 0x0304)
        #expect(tls.serverName == "localhost")
        #expect(tls.clientCertificateChain.isEmpty)
    }

    /// Python (standard library only): TLS, upgrade, one masked text frame, print the echo, close.
    static let webSocketClient = #"""
        import base64, os, socket, ssl, sys
        port, ca = int(sys.argv[1]), sys.argv[2]
        context = ssl.create_default_context(cafile=ca)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, context.wrap_socket(raw, server_hostname="localhost") as s:
            key = base64.b64encode(os.urandom(16)).decode()
            s.sendall(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % key).encode())
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk: sys.exit("closed during the handshake")
                data += chunk
            head, data = data.split(b"\r\n\r\n", 1)
            print(head.split(b"\r\n")[0].decode())
            mask = os.urandom(4)
            s.sendall(bytes([0x81, 0x84]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(b"ping")))
            while len(data) < 2 or len(data) < 2 + (data[1] & 0x7F):
                chunk = s.recv(4096)
                if not chunk: sys.exit("closed before the echo")
                data += chunk
            print("echo=" + data[2:2 + (data[1] & 0x7F)].decode())
            s.sendall(bytes([0x88, 0x82]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(b"\x03\xe8")))
        """#

    @Test("reloadTLSCertificates(): new connections present the renewed certificate; broken files throw and change nothing")
    func reload() async throws {
        let certificates = try ScopeTestCertificates.generate()
        defer { certificates.remove() }
        let live = certificates.directory + "/live.pem"
        let liveKey = certificates.directory + "/live.key"
        let files = FileManager.default
        try files.copyItem(atPath: certificates.server, toPath: live)
        try files.copyItem(atPath: certificates.serverKey, toPath: liveKey)
        let recorder = Recorder()
        let original = try String(contentsOfFile: certificates.server, encoding: .utf8)
        let renewed = try String(contentsOfFile: certificates.renewed, encoding: .utf8)
        #expect(original != renewed)
        try await withServer(recorder.app, configure: {
            $0.tls = TLSConfiguration(certificateChainFile: live, privateKeyFile: liveKey)
        }) { server, port in
            let url = "https://localhost:\(port)/"
            _ = try await Self.curl(port, ["--cacert", certificates.ca, url])
            try files.removeItem(atPath: live)
            try files.removeItem(atPath: liveKey)
            try files.copyItem(atPath: certificates.renewed, toPath: live)
            try files.copyItem(atPath: certificates.renewedKey, toPath: liveKey)
            let reloaded = try server.reloadTLSCertificates()
            #expect(reloaded)
            _ = try await Self.curl(port, ["--cacert", certificates.ca, url])
            try "garbage\n".write(toFile: live, atomically: true, encoding: .utf8)
            let error = #expect(throws: PAGIServerError.self) { try server.reloadTLSCertificates() }
            #expect(error?.code == .tlsConfigurationInvalid)
            #expect(error?.message.contains(live) == true)
            _ = try await Self.curl(port, ["--cacert", certificates.ca, url])
        }
        let served = recorder.scopes.withLock { $0 }.map { $0.extensions.tls?.serverCertificate?.trimmingCharacters(in: .whitespacesAndNewlines) }
        let trimmed = { (text: String) in text.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(served == [trimmed(original), trimmed(renewed), trimmed(renewed)])
    }

    @Test("reloadTLSCertificates() on a cleartext server does nothing and says so")
    func reloadWithoutTLS() async throws {
        try await withServer(Recorder().app) { server, _ in
            let reloaded = try server.reloadTLSCertificates()
            #expect(!reloaded)
        }
    }

    @Test("cleartext connections say http and have no tls key, even when server extensions are set")
    func cleartextScope() async throws {
        let recorder = Recorder()
        try await withServer(recorder.app, configure: { $0.extensions = PAGIExtensions(["fullflush": [:]]) }) { _, port in
            let response = try await exchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(response.hasSuffix("ok"))
        }
        let scope = try #require(recorder.scopes.withLock { $0.first })
        #expect(scope.scheme == "http")
        #expect(scope.extensions.tls == nil)
        #expect(!scope.extensions.contains(PAGIExtensions.tlsName))
        #expect(scope.extensions.contains("fullflush"))
    }

    @Test("one place decides the scheme: http/ws in cleartext, https/wss over TLS")
    func schemes() throws {
        let cleartext = ConnectionSecurity.cleartext
        #expect(cleartext.httpScheme == "http")
        #expect(cleartext.webSocketScheme == "ws")
        #expect(!cleartext.isTLS)
        let certificates = try ScopeTestCertificates.generate()
        defer { certificates.remove() }
        let context = try TLSContext(configuration: TLSConfiguration(certificateChainFile: certificates.server, privateKeyFile: certificates.serverKey))
        var secure = ConnectionSecurity(tlsHandler: try TLSServerHandler(context: context))
        #expect(secure.isTLS)
        #expect(secure.httpScheme == "https")
        #expect(secure.webSocketScheme == "wss")
        // Before the handshake there is nothing to report yet: the server's extensions pass through unchanged.
        #expect(secure.scopeExtensions(PAGIExtensions()).tls == nil)
    }

    @Test("a missing certificate fails run() before binding, naming the file")
    func missingCertificate() async throws {
        var configuration = PAGIServerConfiguration()
        configuration.listeners = [.tcp(host: "127.0.0.1", port: 0)]
        configuration.accessLog = .off
        configuration.quiet = true
        configuration.tls = TLSConfiguration(certificateChainFile: "/nonexistent/cert.pem", privateKeyFile: "/nonexistent/key.pem")
        let server = PAGIServer(configuration: configuration, app: { _, _, _ in })
        let error = await #expect(throws: PAGIServerError.self) { try await server.run() }
        #expect(error?.code == .tlsConfigurationInvalid)
        #expect(error?.message.contains("/nonexistent/cert.pem") == true)
        #expect(server.boundAddresses.isEmpty)
    }
}
