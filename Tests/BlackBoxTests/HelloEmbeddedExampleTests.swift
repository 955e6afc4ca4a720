import Foundation
import Testing

/// Docs/examples/hello-embedded, run the three ways its README shows: a request is served with the
/// lifespan state, and SIGTERM shuts it down gracefully (exit 0).
@Suite("Docs/examples/hello-embedded", .serialized)
struct HelloEmbeddedExampleTests {
    @Test(
        "each embedding mode serves with lifespan state and exits 0 on SIGTERM",
        arguments: [["--port", "0"], ["--programmatic", "0"], ["--service-group", "0"]]
    )
    func servesAndStops(arguments: [String]) async throws {
        let process = try RunningProcess("hello-embedded", arguments)
        defer { process.stop() }
        let banner = try await process.waitForLine("startup banner") { $0.contains("PAGI Server listening on") }
        guard let range = banner.range(of: #":(\d+)/"#, options: .regularExpression),
            let port = Int(banner[range].dropFirst().dropLast())
        else {
            Issue.record("no port in banner: \(banner)")
            return
        }
        let connection = try RawConnection(port: port)
        connection.send("GET /abc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let response = connection.readToEnd()
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.hasSuffix("Hello from /abc, request #1\n"))

        process.signal(SIGTERM)
        let status = try await process.waitForExit(timeout: .seconds(15))
        #expect(status == 0, "exit status \(status); output: \(process.output.suffix(10))")
    }
}
