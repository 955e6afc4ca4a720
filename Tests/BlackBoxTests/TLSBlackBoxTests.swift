// pagi-server over HTTPS (issue 11): the real binary with --ssl-* flags, against curl and
// `openssl s_client`, with certificates generated at test time.

import Foundation
import Testing

@Suite(
    "pagi-server HTTPS",
    .serialized,
    .enabled(if: tlsToolsInstalled, "the HTTPS tests need the openssl and curl tools (apt-get install openssl curl)")
)
struct TLSBlackBoxTests {
    /// curl arguments that reach the server as `https://localhost:<port>/…` on 127.0.0.1.
    static func target(_ port: Int, _ path: String = "/") -> [String] {
        ["--resolve", "localhost:\(port):127.0.0.1", "https://localhost:\(port)\(path)"]
    }

    @Test("HTTPS with curl --cacert; the banner shows https:// and tls: on")
    func https() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let server = try await ServerUnderTest.start(["--app", "hello"] + certificates.serverFlags)
        defer { server.process.stop() }
        let banner = try await server.process.waitForLine("banner") { $0.contains("PAGI Server listening on") }
        #expect(banner.contains("https://127.0.0.1:\(server.port)/"))
        #expect(banner.contains("tls: on"))
        let result = try await curlTLS(["--cacert", certificates.ca] + Self.target(server.port))
        #expect(result.status == 0, "curl: \(result.stderr)")
        #expect(result.stdout == "Hello, World!")
        // Cleartext HTTP to the TLS port is not served as HTTP.
        let plain = try await curlTLS(["http://127.0.0.1:\(server.port)/"])
        #expect(plain.stdout != "Hello, World!")
        server.process.signal(SIGTERM)
        #expect(try await server.process.waitForExit() == 0)
    }

    @Test("TLS 1.2 and TLS 1.3 are both served by default")
    func versions() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let server = try await ServerUnderTest.start(["--app", "hello"] + certificates.serverFlags)
        defer { server.process.stop() }
        for (flags, version) in [(["--tlsv1.2", "--tls-max", "1.2"], "TLSv1.2"), (["--tlsv1.3"], "TLSv1.3")] {
            let result = try await curlTLS(flags + ["--cacert", certificates.ca] + Self.target(server.port), verbose: true)
            #expect(result.status == 0, "curl \(flags): \(result.stderr)")
            #expect(result.stdout == "Hello, World!")
            #expect(result.stderr.contains("SSL connection using \(version)"), "curl \(flags) negotiated: \(result.stderr)")
        }
    }

    @Test("--ssl-min-version TLSv1_3 refuses a TLS 1.2 client and serves a TLS 1.3 one")
    func minimumVersion() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let server = try await ServerUnderTest.start(["--app", "hello", "--ssl-min-version", "TLSv1_3"] + certificates.serverFlags)
        defer { server.process.stop() }
        let old = try await curlTLS(["--tlsv1.2", "--tls-max", "1.2", "--cacert", certificates.ca] + Self.target(server.port))
        #expect(old.status != 0)
        #expect(old.stdout.isEmpty)
        let new = try await curlTLS(["--tlsv1.3", "--cacert", certificates.ca] + Self.target(server.port))
        #expect(new.stdout == "Hello, World!")
    }

    @Test("TLS 1.1 is refused with a protocol_version alert (openssl s_client -tls1_1)")
    func tls11Refused() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let server = try await ServerUnderTest.start(["--app", "hello"] + certificates.serverFlags)
        defer { server.process.stop() }
        // SECLEVEL=0 lets the client offer TLS 1.1 at all, so the refusal is the server's.
        let result = try await runCommand(
            opensslPath,
            ["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"],
            stdin: "",
            timeout: .seconds(15)
        )
        #expect(result.status != 0)
        #expect((result.stdout + result.stderr).contains("alert protocol version"), "s_client: \(result.stdout) \(result.stderr)")
        let after = try await curlTLS(["--cacert", certificates.ca] + Self.target(server.port))
        #expect(after.stdout == "Hello, World!")
    }

    @Test("--ssl-verify-client: a certificate from --ssl-ca is served; none, or one from another CA, fails the handshake")
    func clientCertificates() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        // Starlight's spellings on one server, ours on the other.
        let variants: [[String]] = [
            certificates.serverFlags + ["--ssl-ca", certificates.ca, "--ssl-verify-client"],
            [
                "--ssl-cert-file", certificates.serverCertificate, "--ssl-key-file", certificates.serverKey,
                "--ssl-ca-file", certificates.ca, "--ssl-verify-mode", "1",
            ],
        ]
        for flags in variants {
            let server = try await ServerUnderTest.start(["--app", "hello"] + flags)
            defer { server.process.stop() }
            let good = try await curlTLS(
                ["--cacert", certificates.ca, "--cert", certificates.clientCertificate, "--key", certificates.clientKey] + Self.target(server.port)
            )
            #expect(good.status == 0, "with alice's certificate (\(flags)): \(good.stderr)")
            #expect(good.stdout == "Hello, World!")
            let none = try await curlTLS(["--cacert", certificates.ca] + Self.target(server.port))
            #expect(none.status != 0)
            #expect(none.stdout.isEmpty)
            let rogue = try await curlTLS(
                ["--cacert", certificates.ca, "--cert", certificates.rogueClientCertificate, "--key", certificates.rogueClientKey]
                    + Self.target(server.port)
            )
            #expect(rogue.status != 0)
            #expect(rogue.stdout.isEmpty)
            server.process.signal(SIGTERM)
            #expect(try await server.process.waitForExit() == 0)
        }
    }

    @Test("graceful shutdown sends close_notify to an idle TLS client (openssl s_client -msg)")
    func closeNotifyAtShutdown() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let server = try await ServerUnderTest.start(["--app", "hello"] + certificates.serverFlags)
        defer { server.process.stop() }
        // -ign_eof: s_client's stdin is /dev/null; without it s_client would close first.
        let client = try RunningProcess(opensslPath, ["s_client", "-connect", "127.0.0.1:\(server.port)", "-msg", "-ign_eof"])
        defer { client.stop() }
        try await client.waitForLine("handshake done") { $0.contains("Verify return code") }
        server.process.signal(SIGTERM)
        try await client.waitForLine("the server's close_notify") { $0.hasPrefix("<<<") && $0.contains("close_notify") }
        #expect(try await server.process.waitForExit() == 0)
    }

    @Test("random bytes instead of a ClientHello close that connection only; other clients are served")
    func garbageClientHello() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let server = try await ServerUnderTest.start(["--app", "hello", "--log-level", "debug"] + certificates.serverFlags)
        defer { server.process.stop() }
        // An established TLS client that must survive the garbage on another connection.
        let bystander = try RunningProcess(opensslPath, ["s_client", "-connect", "127.0.0.1:\(server.port)", "-msg", "-ign_eof"])
        defer { bystander.stop() }
        try await bystander.waitForLine("handshake done") { $0.contains("Verify return code") }

        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let connection = try RawConnection(port: server.port)
        let started = ContinuousClock.now
        connection.send(garbage)
        _ = connection.readToEnd()  // an alert at most, then EOF
        #expect(ContinuousClock.now - started < .seconds(5), "the server did not close the garbage connection")
        try await server.process.waitForLine("debug: handshake failure") { $0.contains("SSL handshake failed") }

        let result = try await curlTLS(["--cacert", certificates.ca] + Self.target(server.port))
        #expect(result.stdout == "Hello, World!")
        #expect(bystander.status == nil)
        #expect(!bystander.output.contains { $0.contains("close_notify") })
    }

    @Test("a client that stalls before or during the handshake is closed after --timeout")
    func stalledHandshake() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let server = try await ServerUnderTest.start(["--app", "hello", "--timeout", "1"] + certificates.serverFlags)
        defer { server.process.stop() }
        let silent = try RawConnection(port: server.port)
        // Half a ClientHello record header: the handshake can make no progress.
        let partial = try RawConnection(port: server.port)
        partial.send([0x16, 0x03, 0x01])
        let started = ContinuousClock.now
        #expect(silent.isClosedByPeer())
        #expect(partial.isClosedByPeer())
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(5), "closed after \(elapsed)")
        let result = try await curlTLS(["--cacert", certificates.ca] + Self.target(server.port))
        #expect(result.stdout == "Hello, World!")
    }

    @Test("--help lists every TLS flag and Starlight alias")
    func help() async throws {
        let result = try await runCommand("pagi-server", ["--help"])
        #expect(result.status == 0)
        for flag in [
            "--ssl-cert", "--ssl-cert-file", "--ssl-key", "--ssl-key-file", "--ssl-ca", "--ssl-ca-file", "--ssl-verify-client",
            "--ssl-verify-mode", "--ssl-min-version", "--ssl-ciphers",
        ] {
            #expect(result.stdout.contains(flag), "help lacks \(flag)")
        }
    }

    @Test("bad TLS flags fail with exit 64 and one line naming the file or flag, before binding")
    func badFlags() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let missing = certificates.path("missing.pem")
        let cases: [([String], String)] = [
            (["--ssl-cert", certificates.serverCertificate], "--ssl-cert and --ssl-key must be specified together"),
            (["--ssl-key-file", certificates.serverKey], "--ssl-cert and --ssl-key must be specified together"),
            (["--ssl-cert", missing, "--ssl-key", certificates.serverKey], "SSL certificate file not found: \(missing)"),
            (["--ssl-cert", certificates.serverCertificate, "--ssl-key", missing], "SSL key file not found: \(missing)"),
            // Unreadable (a directory: chmod 000 would not stop root, who runs CI).
            (["--ssl-cert", certificates.directory, "--ssl-key", certificates.serverKey], "SSL certificate file not readable: \(certificates.directory)"),
            (["--ssl-cert", certificates.serverCertificate, "--ssl-key", certificates.otherKey], "SSL key file \(certificates.otherKey) does not match"),
            (["--ssl-cert", certificates.serverKey, "--ssl-key", certificates.serverKey], "SSL certificate file \(certificates.serverKey) holds no valid PEM"),
            (certificates.serverFlags + ["--ssl-verify-client"], "--ssl-verify-client needs --ssl-ca"),
            (certificates.serverFlags + ["--ssl-ca", missing, "--ssl-verify-client"], "SSL CA file not found: \(missing)"),
            (["--ssl-ca", certificates.ca], "--ssl-ca and --ssl-verify-client need --ssl-cert and --ssl-key"),
            (certificates.serverFlags + ["--ssl-min-version", "TLSv1_1"], "--ssl-min-version"),
            (certificates.serverFlags + ["--ssl-ciphers", "NO-SUCH-CIPHER"], "NO-SUCH-CIPHER"),
        ]
        for (flags, message) in cases {
            let result = try await runCommand("pagi-server", ["--app", "hello", "--port", "0"] + flags)
            #expect(result.status == 64, "\(flags): exit \(result.status), \(result.stderr)")
            #expect(result.stderr.contains(message), "\(flags): \(result.stderr)")
            #expect(!result.stderr.contains("PAGI Server listening"), "\(flags) bound before failing")
        }
    }

    @Test("SIGHUP reloads the certificate: new connections get the renewed one; a broken renewal keeps the old")
    func reloadOnHUP() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let certificate = certificates.path("live.pem")
        let key = certificates.path("live.key")
        let files = FileManager.default
        try files.copyItem(atPath: certificates.serverCertificate, toPath: certificate)
        try files.copyItem(atPath: certificates.serverKey, toPath: key)
        let server = try await ServerUnderTest.start(["--app", "hello", "--ssl-cert", certificate, "--ssl-key", key])
        defer { server.process.stop() }
        let before = try await curlTLS(["--cacert", certificates.ca] + Self.target(server.port))
        #expect(before.stdout == "Hello, World!")

        // "certbot renew": new files in place, then HUP.
        try files.removeItem(atPath: certificate)
        try files.removeItem(atPath: key)
        try files.copyItem(atPath: certificates.renewedCertificate, toPath: certificate)
        try files.copyItem(atPath: certificates.renewedKey, toPath: key)
        server.process.signal(SIGHUP)
        try await server.process.waitForLine("reload logged") { $0.contains("reloaded TLS certificate") }
        let renewed = try await curlTLS(["--cacert", certificates.renewedCA] + Self.target(server.port))
        #expect(renewed.status == 0, "curl with the renewed CA: \(renewed.stderr)")
        #expect(renewed.stdout == "Hello, World!")
        let oldTrust = try await curlTLS(["--cacert", certificates.ca] + Self.target(server.port))
        #expect(oldTrust.status != 0, "the old certificate is still served")

        // A broken renewal: the error is logged and the last good certificate stays.
        try "not a certificate\n".write(toFile: certificate, atomically: true, encoding: .utf8)
        server.process.signal(SIGHUP)
        try await server.process.waitForLine("reload failure logged") { $0.contains("TLS certificate reload failed") }
        let still = try await curlTLS(["--cacert", certificates.renewedCA] + Self.target(server.port))
        #expect(still.stdout == "Hello, World!")
        server.process.signal(SIGTERM)
        #expect(try await server.process.waitForExit() == 0)
    }

    @Test("--workers 2 with TLS: every worker serves HTTPS; HUP's rolling restart picks up a renewed certificate")
    func preforkWorkers() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let certificate = certificates.path("live.pem")
        let key = certificates.path("live.key")
        let files = FileManager.default
        try files.copyItem(atPath: certificates.serverCertificate, toPath: certificate)
        try files.copyItem(atPath: certificates.serverKey, toPath: key)
        let server = try await ServerUnderTest.start(["--app", "hello", "--workers", "2", "--ssl-cert", certificate, "--ssl-key", key])
        let tree = PreforkServerTests.ProcessTree(server.process)
        defer { tree.stop() }  // the master and its workers
        let master = try await server.process.waitForLine("master banner") { $0.contains("PAGI Server master") }
        #expect(master.contains("https://127.0.0.1:\(server.port)/"))
        try await server.process.waitForLine("second worker") { _ in
            server.process.output.filter { $0.contains("PAGI Server listening on https://") }.count >= 2
        }
        for _ in 0..<4 {
            let result = try await curlTLS(["--cacert", certificates.ca] + Self.target(server.port))
            #expect(result.stdout == "Hello, World!", "curl: \(result.stderr)")
        }
        try files.removeItem(atPath: certificate)
        try files.removeItem(atPath: key)
        try files.copyItem(atPath: certificates.renewedCertificate, toPath: certificate)
        try files.copyItem(atPath: certificates.renewedKey, toPath: key)
        server.process.signal(SIGHUP)
        try await server.process.waitForLine(timeout: .seconds(30), "two new workers") { _ in
            server.process.output.filter { $0.contains("PAGI Server listening on https://") }.count >= 4
        }
        // The old workers may still finish their last connections: retry until a new one answers.
        var renewed = try await curlTLS(["--cacert", certificates.renewedCA] + Self.target(server.port))
        let deadline = ContinuousClock.now + .seconds(10)
        while renewed.status != 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            renewed = try await curlTLS(["--cacert", certificates.renewedCA] + Self.target(server.port))
        }
        #expect(renewed.stdout == "Hello, World!", "curl with the renewed CA: \(renewed.stderr)")
        server.process.signal(SIGTERM)
        #expect(try await server.process.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test("TLS applies to TCP listeners only: a Unix listener stays cleartext, with an info note")
    func unixListenerStaysCleartext() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let socket = certificates.path("s.sock")
        let server = try await ServerUnderTest.start(
            ["--app", "hello", "--listen", "127.0.0.1:0", "--listen", socket] + certificates.serverFlags
        )
        defer { server.process.stop() }
        try await server.process.waitForLine("the note") { $0 == "Note: TLS is configured but does not apply to Unix socket \(socket)" }
        let banner = try await server.process.waitForLine("banner") { $0.contains("PAGI Server listening on:") }
        #expect(banner.contains("unix:\(socket)"))
        let overUnix = try await curlTLS(["--unix-socket", socket, "http://localhost/"])
        #expect(overUnix.stdout == "Hello, World!")
        let overTCP = try await curlTLS(["--cacert", certificates.ca] + Self.target(server.port))
        #expect(overTCP.stdout == "Hello, World!")
    }

    @Test("--app static over TLS: files are encrypted chunk by chunk (no sendfile), byte-exact, ranges too")
    func staticFileOverTLS() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let root = certificates.path("www")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var generator = SystemRandomNumberGenerator()
        let content = Data((0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try content.write(to: URL(fileURLWithPath: root + "/blob.bin"))
        let server = try await ServerUnderTest.start(["--app", "static", "--root", root, "--access-log", "off"] + certificates.serverFlags)
        defer { server.process.stop() }
        let output = certificates.path("downloaded.bin")
        let full = try await curlTLS(["--cacert", certificates.ca, "-o", output] + Self.target(server.port, "/blob.bin"))
        #expect(full.status == 0, "curl: \(full.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == content)
        let range = try await curlTLS(["--cacert", certificates.ca, "-r", "100000-199999", "-o", output] + Self.target(server.port, "/blob.bin"))
        #expect(range.status == 0, "curl -r: \(range.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == content[100_000..<200_000])
    }

    @Test("at capacity, a TLS client still gets a readable 503")
    func atCapacityOverTLS() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let server = try await ServerUnderTest.start(["--app", "hello", "--max-connections", "1"] + certificates.serverFlags)
        defer { server.process.stop() }
        let holder = try RunningProcess(opensslPath, ["s_client", "-connect", "127.0.0.1:\(server.port)", "-ign_eof"])
        defer { holder.stop() }
        try await holder.waitForLine("handshake done") { $0.contains("Verify return code") }
        let result = try await curlTLS(["--cacert", certificates.ca, "-o", "/dev/null", "-w", "%{http_code}"] + Self.target(server.port))
        #expect(result.stdout == "503", "curl: \(result.stdout) \(result.stderr)")
    }
}
