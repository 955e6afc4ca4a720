import Foundation
import Testing

@Suite("pagi-server HTTP/1.1 behaviour", .serialized)
struct PAGIServerHTTPTests {
    @Test("hello over keep-alive: curl reuses one connection for two requests")
    func helloKeepAlive() async throws {
        let server = try await ServerUnderTest.start(["--app", "hello"])
        defer { server.process.stop() }
        let result = try await runCommand(
            "/usr/bin/curl",
            ["-s", "-w", "|%{http_code}|%{num_connects}\n", "\(server.url)/a", "\(server.url)/b"]
        )
        #expect(result.status == 0)
        #expect(result.stdout == "Hello, World!|200|1\nHello, World!|200|0\n")
    }

    @Test("pipelined requests are answered in order on one connection")
    func pipelining() async throws {
        let server = try await ServerUnderTest.start(["--app", "echo", "--access-log", "off"])
        defer { server.process.stop() }
        let connection = try RawConnection(port: server.port)
        connection.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\nPOST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let response = connection.readToEnd()
        #expect(occurrences(of: "HTTP/1.1 200 OK", in: response) == 3)
        let one = try #require(response.range(of: "\"path\":\"/one\""))
        let two = try #require(response.range(of: "\"path\":\"/two\""))
        let three = try #require(response.range(of: "\"path\":\"/three\""))
        #expect(one.lowerBound < two.lowerBound && two.lowerBound < three.lowerBound)
        #expect(response.contains("\"body_length\":5"))
    }
}

@Suite("pagi-server rejections and limits", .serialized)
struct PAGIServerLimitTests {
    static func answer(_ request: String, _ extra: [String] = []) async throws -> String {
        let server = try await ServerUnderTest.start(["--app", "echo", "--access-log", "off"] + extra)
        defer { server.process.stop() }
        let connection = try RawConnection(port: server.port)
        connection.send(request)
        return connection.readToEnd()
    }

    @Test("a malformed request line gets 400 and the connection closes")
    func malformed() async throws {
        let response = try await Self.answer("GET  / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(response.contains("content-type: text/plain\r\n"))
    }

    @Test("HTTP/1.1 without Host gets 400")
    func missingHost() async throws {
        #expect(try await Self.answer("GET / HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 400 "))
    }

    @Test("Content-Length with Transfer-Encoding gets 400 (no smuggling)")
    func clAndTE() async throws {
        let response = try await Self.answer("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        #expect(response.hasPrefix("HTTP/1.1 400 "))
    }

    @Test("an unknown transfer coding gets 501")
    func unknownCoding() async throws {
        #expect(try await Self.answer("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n").hasPrefix("HTTP/1.1 501 "))
    }

    @Test("HTTP/2.0 on the request line gets 505")
    func version() async throws {
        #expect(try await Self.answer("GET / HTTP/2.0\r\nHost: x\r\n\r\n").hasPrefix("HTTP/1.1 505 "))
    }

    @Test("a request line just under the limit is served; just over gets 414")
    func requestLine() async throws {
        let limit = 8192
        let overhead = "GET  HTTP/1.1".utf8.count
        let under = "GET /" + String(repeating: "a", count: limit - overhead - 1) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let over = "GET /" + String(repeating: "a", count: limit - overhead) + " HTTP/1.1\r\nHost: x\r\n\r\n"
        #expect(try await Self.answer(under, ["--max-header-size", "20000"]).hasPrefix("HTTP/1.1 200 "))
        #expect(try await Self.answer(over, ["--max-header-size", "20000"]).hasPrefix("HTTP/1.1 414 "))
    }

    @Test("101 header fields get 431; 100 are served")
    func headerCount() async throws {
        func request(_ count: Int) -> String {
            "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + (0..<(count - 2)).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        }
        #expect(try await Self.answer(request(100)).hasPrefix("HTTP/1.1 200 "))
        #expect(try await Self.answer(request(101)).hasPrefix("HTTP/1.1 431 "))
    }

    @Test("a header section over --max-header-size gets 431")
    func headerSize() async throws {
        let big = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 2000) + "\r\n\r\n"
        #expect(try await Self.answer(big, ["--max-header-size", "1024"]).hasPrefix("HTTP/1.1 431 "))
    }

    @Test("Content-Length over --max-body-size gets 413 before any body byte; at the limit it is served")
    func bodySize() async throws {
        let over = try await Self.answer("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", ["--max-body-size", "10"])
        #expect(over.hasPrefix("HTTP/1.1 413 "))
        let at = try await Self.answer("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789", ["--max-body-size", "10"])
        #expect(at.hasPrefix("HTTP/1.1 200 "))
        #expect(at.contains("\"body_length\":10"))
    }

    @Test("a chunked body growing past --max-body-size gets 413")
    func chunkedBodySize() async throws {
        let response = try await Self.answer(
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n",
            ["--max-body-size", "10"]
        )
        #expect(response.hasPrefix("HTTP/1.1 413 "))
    }

    @Test("connections above --max-connections get the reference 503 with Retry-After")
    func maxConnections() async throws {
        let server = try await ServerUnderTest.start(["--app", "hello", "--access-log", "off", "--max-connections", "1"])
        defer { server.process.stop() }
        let first = try RawConnection(port: server.port)
        first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = first.read { $0.hasSuffix("Hello, World!") }
        let second = try RawConnection(port: server.port)
        let rejected = second.readToEnd()
        #expect(rejected.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(rejected.contains("Retry-After: 5\r\n"))
        #expect(rejected.hasSuffix("503 Service Unavailable - Server at capacity\r\n"))
        let warning = try await server.process.waitForLine("capacity warning") { $0.contains("Connection rejected: at capacity (1/1)") }
        #expect(!warning.isEmpty)
    }

    @Test("an unread request body is drained, never parsed as the next request")
    func unreadBody() async throws {
        let server = try await ServerUnderTest.start(["--app", "hello", "--access-log", "off"])
        defer { server.process.stop() }
        let connection = try RawConnection(port: server.port)
        connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let response = connection.readToEnd()
        #expect(occurrences(of: "HTTP/1.1 200 OK", in: response) == 2)
        #expect(!response.contains("400"))
    }

    @Test("the idle timeout closes a silent keep-alive connection")
    func idleTimeout() async throws {
        let server = try await ServerUnderTest.start(["--app", "hello", "--access-log", "off", "--timeout", "1"])
        defer { server.process.stop() }
        let connection = try RawConnection(port: server.port)
        connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = connection.read { $0.hasSuffix("Hello, World!") }
        #expect(connection.isClosedByPeer())
    }
}
