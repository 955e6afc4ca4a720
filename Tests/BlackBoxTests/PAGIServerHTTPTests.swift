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
