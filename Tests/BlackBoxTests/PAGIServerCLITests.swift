import Foundation
import Testing

@Suite("pagi-server command line", .serialized)
struct PAGIServerCLITests {
    @Test("--version prints the program and the PAGI version")
    func version() async throws {
        let result = try await runCommand("pagi-server", ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("pagi-server"))
        #expect(result.stdout.contains("PAGI 0.3"))
    }

    @Test("--help describes the command and every serving flag")
    func help() async throws {
        let result = try await runCommand("pagi-server", ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: pagi-server"))
        for flag in [
            "--app", "--root", "--host", "--port", "--socket", "--socket-mode", "--listen", "--access-log", "--access-log-format",
            "--log-level", "--quiet", "--timeout", "--request-timeout", "--max-body-size", "--max-header-size",
            "--max-header-count", "--max-connections", "--shutdown-timeout", "--write-high-watermark", "--write-low-watermark",
        ] {
            #expect(result.stdout.contains(flag), "help lacks \(flag)")
        }
    }

    @Test("an unknown flag is a usage error (exit 64) naming the flag")
    func unknownFlag() async throws {
        let result = try await runCommand("pagi-server", ["--no-such-flag"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--no-such-flag"))
    }

    @Test(
        "conflicting or bad flags fail with exit 64 and one clear line, before binding",
        arguments: [
            (["--listen", "127.0.0.1:0", "--port", "5000"], "--listen and --port"),
            (["--listen", "127.0.0.1:0", "--host", "0.0.0.0"], "--listen and --host"),
            (["--socket", "/tmp/x.sock", "--port", "1"], "--socket and --port"),
            (["--socket-mode", "777"], "--socket-mode must be an octal value like 0660, got: 777"),
            (["--port", "70000"], "--port must be between 0 and 65535"),
            (["--app", "static"], "--app static needs --root DIR"),
            (["--log-level", "loud"], "--log-level"),
        ]
    )
    func badFlags(arguments: [String], message: String) async throws {
        let result = try await runCommand("pagi-server", arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message))
    }

    @Test("a port in use fails with exit 1 and 'Error: port N is already in use'")
    func portInUse() async throws {
        let first = try await ServerUnderTest.start(["--app", "hello"])
        defer { first.process.stop() }
        let result = try await runCommand("pagi-server", ["--port", String(first.port)])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Error: port \(first.port) is already in use"))
    }

    @Test("SIGTERM shuts down gracefully: exit 0")
    func sigterm() async throws {
        let server = try await ServerUnderTest.start(["--app", "hello"])
        defer { server.process.stop() }
        server.process.signal(SIGTERM)
        #expect(try await server.process.waitForExit() == 0)
    }

    @Test("SIGINT during a slow upload: the in-flight request still completes")
    func sigintDrains() async throws {
        let server = try await ServerUnderTest.start(["--app", "echo", "--access-log", "off"])
        defer { server.process.stop() }
        let connection = try RawConnection(port: server.port)
        // `100 Continue` goes out when the app first calls receive: proof that the request is in the
        // app's hands (no guessing with a sleep) before the signal arrives and the body follows.
        connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        let interim = connection.read { $0.contains("\r\n\r\n") }
        #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
        server.process.signal(SIGINT)
        connection.send("ab")
        connection.send("cd")
        let response = connection.readToEnd()
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.contains("\"body_length\":4"))
        #expect(try await server.process.waitForExit() == 0)
    }

    @Test("the access log goes to a file in the chosen format")
    func accessLogFile() async throws {
        let path = NSTemporaryDirectory() + "pagi-access-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let server = try await ServerUnderTest.start(["--app", "hello", "--access-log", path, "--access-log-format", "combined"])
        defer { server.process.stop() }
        let result = try await runCommand("/usr/bin/curl", ["-s", "-A", "UA/1", "-e", "http://r/", "\(server.url)/x?q=1"])
        #expect(result.stdout == "Hello, World!")
        server.process.signal(SIGTERM)
        _ = try await server.process.waitForExit()
        let log = try String(contentsOfFile: path, encoding: .utf8)
        #expect(log.contains("127.0.0.1 - - ["))
        #expect(log.contains("\"GET /x?q=1 HTTP/1.1\" 200 13 \"http://r/\" \"UA/1\"\n"))
    }

    @Test("--socket serves on a Unix socket created 0600 and removed at shutdown")
    func unixSocket() async throws {
        let path = NSTemporaryDirectory() + "pagi-\(UInt32.random(in: 0...UInt32.max)).sock"
        let server = try await ServerUnderTest.start(["--app", "hello", "--socket", path])
        defer { server.process.stop() }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let result = try await runCommand("/usr/bin/curl", ["-s", "--unix-socket", path, "http://localhost/"])
        #expect(result.stdout == "Hello, World!")
        server.process.signal(SIGTERM)
        _ = try await server.process.waitForExit()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("several --listen endpoints are served at once")
    func multipleListeners() async throws {
        let path = NSTemporaryDirectory() + "pagi-\(UInt32.random(in: 0...UInt32.max)).sock"
        let process = try RunningProcess("pagi-server", ["--app", "hello", "--listen", "127.0.0.1:0", "--listen", path, "--socket-mode", "0660"])
        defer { process.stop() }
        let banner = try await process.waitForLine("banner") { $0.contains("PAGI Server listening on:") }
        #expect(banner.contains("unix:\(path)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o660)
        let result = try await runCommand("/usr/bin/curl", ["-s", "--unix-socket", path, "http://localhost/"])
        #expect(result.stdout == "Hello, World!")
    }
}
