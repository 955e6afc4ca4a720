@testable import PAGIAccessLog

/// 22/Nov/2026:03:34:43 +0000, the instant of the reference server's `clf` example line.
let referenceClfInstant = AccessLogTimestamp(secondsSinceEpoch: 1_795_318_483, nanoseconds: 250_000_000)
/// 22/Nov/2026:03:35:44 +0000, the instant of the reference server's `combined` example line.
let referenceCombinedInstant = AccessLogTimestamp(secondsSinceEpoch: 1_795_318_544)

typealias Entry = AccessLogEntry<AccessLogHeaderList>

/// A fully populated request: every atom has something non-default to print.
func sampleEntry() -> Entry {
    Entry(
        client: .ip(address: "192.0.2.7", port: 51_234),
        server: .ip(address: "127.0.0.1", port: 8_080),
        method: "POST",
        path: "/api/items",
        query: "page=2&sort=name",
        httpVersion: "1.1",
        status: 201,
        bodyBytes: 1_234,
        bytesReceived: 512,
        bytesSent: 1_400,
        requestHeaders: [("Host", "example.test"), ("Referer", "http://r/"), ("User-Agent", "UA/1"), ("X-Dup", "first"), ("x-dup", "second")],
        responseHeaders: [("Content-Type", "application/json"), ("ETag", "\"v1\"")],
        startTime: AccessLogTimestamp(secondsSinceEpoch: 1_709_210_096, nanoseconds: 123_456_789),
        duration: .nanoseconds(12_345_678),
        processID: 4_242,
        keepAliveRequests: 3,
        connectionStatus: .keptAlive
    )
}

/// An entry with nothing known: what a request aborted before its head renders from.
func emptyEntry() -> Entry {
    Entry(requestHeaders: [], responseHeaders: [])
}

/// Compiles `format`, failing the test with the compiler's message if it does not compile.
func compiled(_ format: String) throws -> AccessLogFormat {
    try AccessLogFormat(format)
}

/// Renders `entry` with `format`.
func render(_ format: String, _ entry: Entry = sampleEntry()) throws -> String {
    try compiled(format).renderString(entry)
}

/// The error `format` fails to compile with, or `nil` if it compiles.
func compileError(_ format: String) -> AccessLogFormatError? {
    do {
        _ = try AccessLogFormat(format: format)
        return nil
    } catch {
        return error
    }
}

/// What `body` writes through a line writer, as a string.
func written(_ body: (inout AccessLogLineWriter) -> Void) -> String {
    var buffer: [UInt8] = []
    AccessLogLineWriter.append(to: &buffer, body)
    return String(decoding: buffer, as: UTF8.self)
}
