// The built-in apps (PAGIApps) served by the real pagi-server: the echo contract byte for byte,
// hello, and static files — streaming, validators, ranges and every traversal refusal. Raw
// sockets send the paths curl would normalise away (`/../x`, `%2e%2e`).

import Foundation
import Testing

@Suite("built-in apps through pagi-server", .serialized)
struct PAGIAppsBlackBoxTests {
    /// The body of a raw response (everything after the blank line).
    static func body(_ response: String) -> String {
        guard let range = response.range(of: "\r\n\r\n") else { return "" }
        return String(response[range.upperBound...])
    }

    static func statusLine(_ response: String) -> String {
        // "\r\n" is one Character in Swift, so split on the string, not on "\r".
        response.components(separatedBy: "\r\n").first ?? ""
    }

    /// Sends one request with `Connection: close` and returns the whole response.
    static func exchange(_ server: ServerUnderTest, _ request: String) throws -> String {
        let connection = try RawConnection(port: server.port)
        defer { connection.close() }
        connection.send(request)
        return connection.readToEnd()
    }

    @Test("hello answers 200 text/plain Hello, World! with Content-Length")
    func hello() async throws {
        let server = try await ServerUnderTest.start(["--app", "hello", "--access-log", "off"])
        defer { server.process.stop() }
        let response = try Self.exchange(server, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(Self.statusLine(response) == "HTTP/1.1 200 OK")
        #expect(response.lowercased().contains("\r\ncontent-type: text/plain\r\n"))
        #expect(response.lowercased().contains("\r\ncontent-length: 13\r\n"))
        #expect(Self.body(response) == "Hello, World!")
    }

    @Test("echo returns the exact JSON contract for a chunked POST")
    func echoContract() async throws {
        let server = try await ServerUnderTest.start(["--app", "echo", "--access-log", "off"])
        defer { server.process.stop() }
        let request =
            "POST /a%20b/c?x=1&y=%41 HTTP/1.1\r\nHost: example.test\r\nX-First: 1\r\nTransfer-Encoding: chunked\r\n"
            + "X-Quote: say \"hi\"\r\nConnection: close\r\n\r\n" + "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n"
        let response = try Self.exchange(server, request)
        #expect(Self.statusLine(response) == "HTTP/1.1 200 OK")
        #expect(response.lowercased().contains("\r\ncontent-type: application/json\r\n"))
        let expected =
            #"{"method":"POST","path":"/a b/c","raw_path":"/a%20b/c","query_string":"x=1&y=%41","http_version":"1.1","#
            + #""headers":[["host","example.test"],["x-first","1"],["transfer-encoding","chunked"],["x-quote","say \"hi\""],["connection","close"]],"#
            + #""body_length":11,"body_sha256":"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"}"#
        #expect(Self.body(response) == expected)
        #expect(response.lowercased().contains("\r\ncontent-length: \(expected.utf8.count)\r\n"))
    }

    @Test("echo reports HTTP/1.0 and an empty body")
    func echoHTTP10() async throws {
        let server = try await ServerUnderTest.start(["--app", "echo", "--access-log", "off"])
        defer { server.process.stop() }
        let response = try Self.exchange(server, "GET / HTTP/1.0\r\n\r\n")
        #expect(
            Self.body(response)
                == #"{"method":"GET","path":"/","raw_path":"/","query_string":"","http_version":"1.0","headers":[],"body_length":0,"body_sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}"#
        )
    }

    /// A served tree: `site/` with files, an index, and symlinks in and out.
    final class Site: @unchecked Sendable {
        // Created once in init and removed in deinit; never mutated in between.
        let directory: URL
        let large: Data

        init() throws {
            self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("pagiapps-bb-\(UUID().uuidString)")
            let site = self.directory.appendingPathComponent("site")
            try FileManager.default.createDirectory(at: site.appendingPathComponent("docs"), withIntermediateDirectories: true)
            try Data("0123456789abcdefghij".utf8).write(to: site.appendingPathComponent("file.txt"))
            try Data("<h1>docs</h1>".utf8).write(to: site.appendingPathComponent("docs/index.html"))
            try Data("secret".utf8).write(to: self.directory.appendingPathComponent("secret.txt"))
            try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("out.txt").path, withDestinationPath: "../secret.txt")
            // 3 MiB + 17 bytes of a non-repeating pattern: streamed over several writes, and a
            // misplaced offset would show.
            var large = Data(count: 3 * 1024 * 1024 + 17)
            for index in large.indices { large[index] = UInt8(truncatingIfNeeded: index &* 7 &+ index >> 12) }
            self.large = large
            try large.write(to: site.appendingPathComponent("large.bin"))
        }

        var root: String { self.directory.appendingPathComponent("site").path }

        deinit { try? FileManager.default.removeItem(at: self.directory) }
    }

    static func curl(_ arguments: [String]) async throws -> CommandResult {
        try await runCommand("/usr/bin/curl", ["-sS", "--max-time", "20"] + arguments)
    }

    @Test("static streams files intact, serves the index, and redirects a directory without slash")
    func staticFiles() async throws {
        let site = try Site()
        let server = try await ServerUnderTest.start(["--app", "static", "--root", site.root, "--access-log", "off"])
        defer { server.process.stop() }

        let output = site.directory.appendingPathComponent("downloaded.bin")
        let download = try await Self.curl(["-o", output.path, "-w", "%{http_code} %{content_type}", server.url + "/large.bin"])
        #expect(download.stdout == "200 application/octet-stream")
        #expect(try Data(contentsOf: output) == site.large)

        let index = try await Self.curl(["-i", server.url + "/docs/"])
        #expect(index.stdout.hasPrefix("HTTP/1.1 200"))
        #expect(index.stdout.lowercased().contains("content-type: text/html; charset=utf-8"))
        #expect(index.stdout.hasSuffix("<h1>docs</h1>"))

        let redirect = try await Self.curl(["-i", server.url + "/docs?q=1"])
        #expect(redirect.stdout.hasPrefix("HTTP/1.1 301"))
        #expect(redirect.stdout.lowercased().contains("location: /docs/?q=1\r\n"))

        let head = try await Self.curl(["-I", server.url + "/file.txt"])
        #expect(head.stdout.hasPrefix("HTTP/1.1 200"))
        #expect(head.stdout.lowercased().contains("content-length: 20\r\n"))
        #expect(head.stdout.lowercased().contains("accept-ranges: bytes\r\n"))
    }

    @Test("static answers conditional and range requests: 304, 206 with the right bytes, 416")
    func staticValidatorsAndRanges() async throws {
        let site = try Site()
        let server = try await ServerUnderTest.start(["--app", "static", "--root", site.root, "--access-log", "off"])
        defer { server.process.stop() }

        let first = try await Self.curl(["-i", server.url + "/file.txt"])
        let etagLine = first.stdout.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("etag: ") }
        let etag = try #require(etagLine.map { String($0.dropFirst(6)) })
        let lastModifiedLine = first.stdout.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("last-modified: ") }
        let lastModified = try #require(lastModifiedLine.map { String($0.dropFirst(15)) })

        let notModified = try await Self.curl(["-i", "-H", "If-None-Match: \(etag)", server.url + "/file.txt"])
        #expect(notModified.stdout.hasPrefix("HTTP/1.1 304"))
        #expect(Self.body(notModified.stdout).isEmpty)
        let sinceModified = try await Self.curl(["-i", "-H", "If-Modified-Since: \(lastModified)", server.url + "/file.txt"])
        #expect(sinceModified.stdout.hasPrefix("HTTP/1.1 304"))

        let partial = try await Self.curl(["-i", "-r", "5-9", server.url + "/file.txt"])
        #expect(partial.stdout.hasPrefix("HTTP/1.1 206"))
        #expect(partial.stdout.lowercased().contains("content-range: bytes 5-9/20\r\n"))
        #expect(Self.body(partial.stdout) == "56789")

        let largeTail = site.directory.appendingPathComponent("tail.bin")
        let tail = try await Self.curl(["-o", largeTail.path, "-w", "%{http_code}", "-r", "-100000", server.url + "/large.bin"])
        #expect(tail.stdout == "206")
        #expect(try Data(contentsOf: largeTail) == site.large.suffix(100_000))

        let unsatisfiable = try await Self.curl(["-i", "-r", "20-", server.url + "/file.txt"])
        #expect(unsatisfiable.stdout.hasPrefix("HTTP/1.1 416"))
        #expect(unsatisfiable.stdout.lowercased().contains("content-range: bytes */20\r\n"))

        let staleIfRange = try await Self.curl(["-i", "-r", "0-1", "-H", "If-Range: \"stale\"", server.url + "/file.txt"])
        #expect(staleIfRange.stdout.hasPrefix("HTTP/1.1 200"))
        #expect(Self.body(staleIfRange.stdout) == "0123456789abcdefghij")
    }

    @Test(
        "static refuses traversal, encoded traversal, NUL and symlinks out of the root",
        arguments: [
            ("/../secret.txt", "403"), ("/%2e%2e/secret.txt", "403"), ("/%2E%2E%2Fsecret.txt", "403"),
            ("/docs/..%2f..%2fsecret.txt", "403"), ("/out.txt", "403"), ("/file.txt%00", "400"), ("/missing", "404"),
        ]
    )
    func staticRefusals(_ path: String, _ status: String) async throws {
        let site = try Site()
        let server = try await ServerUnderTest.start(["--app", "static", "--root", site.root, "--access-log", "off"])
        defer { server.process.stop() }
        let response = try Self.exchange(server, "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(Self.statusLine(response).hasPrefix("HTTP/1.1 \(status) "))
        #expect(!response.contains("secret\u{0}") && !Self.body(response).contains("secret"))
    }

    @Test("static without --root is a usage error naming the fix")
    func staticNeedsRoot() async throws {
        let result = try await runCommand("pagi-server", ["--app", "static"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--root"))
    }

    @Test("static with a root that is not a directory fails before binding, with one line")
    func staticRootMustExist() async throws {
        let result = try await runCommand("pagi-server", ["--app", "static", "--root", "/nonexistent/pagi-root", "--port", "0"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot serve '/nonexistent/pagi-root'"))
    }
}
