import Foundation
import PAGI
import PAGIAccessLog
import Testing

@testable import PAGIServer

@Suite("AccessLogWriter")
struct AccessLogWriterTests {
    static func entry(_ index: Int) -> AccessLogEntry<AccessLogHeaders> {
        AccessLogEntry(
            client: .ip(address: "127.0.0.1", port: 1000),
            method: "GET",
            path: "/item/\(index)",
            query: "",
            httpVersion: "1.1",
            status: 200,
            bodyBytes: 13,
            requestHeaders: AccessLogHeaders(headers: [("user-agent", "test")]),
            responseHeaders: AccessLogHeaders(headers: PAGIHeaders()),
            startTime: AccessLogClock.now(),
            duration: .milliseconds(1),
            keepAliveRequests: 0,
            connectionStatus: .keptAlive
        )
    }

    @Test("every line from concurrent writers reaches the file whole and once, across many flushes")
    func concurrentLinesAllWritten() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pagi-accesslog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("access.log").path
        let writer = try AccessLogWriter(destination: .file(path), format: "%h \"%r\" %>s %b")

        let perTask = 500
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for index in 0..<perTask {
                        writer.log(Self.entry(task * perTask + index))
                        // Let the writer thread flush between bursts, so buffers are swapped often.
                        if index % 50 == 0 { await Task.yield() }
                    }
                }
            }
        }
        await writer.close()

        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "the file ends with a newline")
        let body = lines.dropLast()
        #expect(body.count == 4 * perTask)
        var seen = Set<Int>()
        for line in body {
            // 127.0.0.1 "GET /item/N HTTP/1.1" 200 13
            guard line.hasPrefix("127.0.0.1 \"GET /item/"), line.hasSuffix(" HTTP/1.1\" 200 13"),
                let number = Int(line.dropFirst("127.0.0.1 \"GET /item/".count).prefix { $0.isNumber })
            else {
                Issue.record("malformed line: \(line)")
                continue
            }
            seen.insert(number)
        }
        #expect(seen.count == 4 * perTask, "every entry exactly once")
    }
}
