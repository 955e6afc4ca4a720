import PAGIAccessLog
import Testing

@Suite("AccessLogEntry")
struct AccessLogEntryTests {
    @Test("the README example compiles and prints the documented line")
    func readmeExample() throws {
        // Keep in sync with Packages/PAGIAccessLog/README.md.
        let format = try AccessLogFormat("combined")  // or any format string; errors carry a column
        var line: [UInt8] = []
        line.reserveCapacity(512)  // grown once, reused for every request

        let entry = AccessLogEntry<AccessLogHeaderList>(
            client: .ip(address: "127.0.0.1", port: 50_000),
            method: "GET", path: "/x", httpVersion: "1.1", status: 200, bodyBytes: 2,
            requestHeaders: [("Referer", "http://r/"), ("User-Agent", "UA/1")],
            responseHeaders: [],
            startTime: AccessLogTimestamp(secondsSinceEpoch: 1_795_318_544),
            duration: .microseconds(1_500)
        )
        line.removeAll(keepingCapacity: true)
        format.render(entry, into: &line)
        line.append(UInt8(ascii: "\n"))
        #expect(
            String(decoding: line, as: UTF8.self)
                == #"127.0.0.1 - - [22/Nov/2026:03:35:44 +0000] "GET /x HTTP/1.1" 200 2 "http://r/" "UA/1""# + "\n"
        )

        let fields = try format.parse(String(decoding: line, as: UTF8.self))
        #expect(fields[.status] == "200")
        #expect(fields[.requestHeader("User-Agent")] == "UA/1")
    }

    @Test("the entry's fact properties read and write its info")
    func forwarding() {
        var entry = sampleEntry()
        entry.method = "PUT"
        entry.duration = .milliseconds(3)
        #expect(entry.info.method == "PUT")
        #expect(entry.info.durationNanoseconds == 3_000_000)
        #expect(entry.duration == .milliseconds(3))
        let rebuilt = AccessLogEntry(info: entry.info, requestHeaders: entry.requestHeaders, responseHeaders: entry.responseHeaders)
        #expect(rebuilt.info == entry.info)
    }
}
