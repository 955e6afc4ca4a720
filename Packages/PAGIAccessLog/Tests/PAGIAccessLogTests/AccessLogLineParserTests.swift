import Testing

@testable import PAGIAccessLog

@Suite("AccessLogLineParser")
struct AccessLogLineParserTests {
    /// Every atom once, separated by single spaces (the hardest separator for free-text atoms).
    private static let everyAtom =
        #"%h %a %A %p %l %u [%t] [%{%Y-%m-%d %H:%M:%S}t] %{sec}t %{msec}t %{usec}t %{msec_frac}t %{usec_frac}t "%r" %m %U%q %H %s %b %B %I %O %d %D %T "%{Referer}i" "%{ETag}o" %P %k %X"#

    /// Values with every byte class the escaper treats differently.
    private func hostileEntry() -> Entry {
        var entry = sampleEntry()
        entry.path = "/p\"a\\t\u{01}é"
        entry.query = "q=\"1\"&x=\\"
        entry.requestHeaders = [("Referer", "http://evil/\"\n127.0.0.1 - - \\x41")]
        entry.responseHeaders = [("ETag", "W/\"x y\"")]
        return entry
    }

    @Test("parse(render(x)) recovers every field of every atom")
    func everyAtomRoundTrip() throws {
        let format = try AccessLogFormat(format: Self.everyAtom)
        for entry in [sampleEntry(), emptyEntry(), hostileEntry()] {
            let line = format.renderString(entry)
            let parsed = try format.parse(line)
            #expect(parsed.fields.count == format.atoms.count)
            #expect(parsed.fields.map(\.atom) == format.atoms)
            // Rendering each atom alone gives the escaped text; parsing must give it unescaped.
            for field in parsed.fields {
                let alone = try AccessLogFormat(format: field.atom.syntax).renderString(entry)
                #expect(field.value == Self.unescapeReference(alone), "\(field.atom.syntax) in \(line)")
            }
        }
    }

    @Test("escaped request data comes back byte for byte")
    func hostileValues() throws {
        let entry = hostileEntry()
        let line = AccessLogFormat(preset: .combined).renderString(entry)
        let parsed = try AccessLogFormat(preset: .combined).parse(line)
        #expect(parsed[.requestLine] == "POST \(entry.path ?? "")?\(entry.query ?? "") HTTP/1.1")
        #expect(parsed[.requestHeader("Referer")] == "http://evil/\"\n127.0.0.1 - - \\x41")
        let clf = try AccessLogFormat(preset: .clf).parse(AccessLogFormat(preset: .clf).renderString(entry))
        #expect(clf[.path] == entry.path)
        #expect(clf[.query] == "?" + (entry.query ?? ""))
    }

    @Test("every preset round-trips the reference example lines", arguments: AccessLogPreset.allCases)
    func presetRoundTrip(_ preset: AccessLogPreset) throws {
        let format = AccessLogFormat(preset: preset)
        let parsed = try format.parse(format.renderString(sampleEntry()))
        #expect(parsed.fields.map(\.atom) == format.atoms)
        let expected: [AccessLogAtom: String] = [
            .clientHost: "192.0.2.7", .time: "29/Feb/2024:12:34:56 +0000", .method: "POST", .path: "/api/items",
            .query: "?page=2&sort=name", .status: "201", .durationSeconds: "0.012",
            .requestLine: "POST /api/items?page=2&sort=name HTTP/1.1", .bodyBytesCLF: "1234",
            .requestHeader("Referer"): "http://r/", .requestHeader("User-Agent"): "UA/1", .durationMicroseconds: "12345",
        ]
        for field in parsed.fields {
            #expect(field.value == expected[field.atom], "\(field.atom)")
        }
    }

    @Test("a trailing newline or CRLF is ignored")
    func trailingNewline() throws {
        let format = AccessLogFormat(preset: .tiny)
        #expect(try format.parse("GET / 200 5ms\n")[.status] == "200")
        #expect(try format.parse("GET / 200 5ms\r\n")[.durationMicroseconds] == "5")
    }

    @Test("a line from another format reports where it stops matching")
    func mismatch() throws {
        let format = AccessLogFormat(preset: .common)
        do {
            _ = try format.parse(#"127.0.0.1 - - [22/Nov/2026:03:35:44 +0000] "GET /x HTTP/1.1" abc 2"#)
            Issue.record("expected a mismatch")
        } catch {
            #expect(error.column == 62)
            #expect(error.expected == "%s")
            #expect(error.description.hasPrefix("line does not match the format: expected %s at column 62"))
        }
    }

    @Test("extra text after a complete match is a mismatch")
    func trailingGarbage() {
        #expect(throws: AccessLogLineMismatch.self) { try AccessLogFormat(preset: .tiny).parse("GET / 200 5ms extra") }
    }

    @Test("a raw quote inside a quoted field cannot come from the escaper")
    func rawQuoteRejected() {
        #expect(throws: AccessLogLineMismatch.self) {
            try AccessLogFormat(format: #""%{A}i" "%{B}i""#).parse(#""x"y" "z""#)
        }
    }

    @Test("broken escapes and bad times are rejected", arguments: [#""\q""#, #""\x4""#, #""\""#])
    func brokenEscapes(_ line: String) {
        #expect(throws: AccessLogLineMismatch.self) { try AccessLogFormat(format: #""%{A}i""#).parse(line) }
    }

    @Test("%t must have the exact shape", arguments: ["[1/Nov/2026:03:35:44 +0000]", "[22/Nov/2026:03:35:44 +0100]", "[22/nov/2026:03:35:44 +0000]"])
    func badTime(_ line: String) {
        #expect(throws: AccessLogLineMismatch.self) { try AccessLogFormat(format: "[%t]").parse(line) }
    }

    @Test("hostile lines stay cheap: memoised backtracking over many free-text atoms")
    func pathological() throws {
        let format = try AccessLogFormat(format: String(repeating: "%{A}i ", count: 12) + "%s")
        let line = String(repeating: "a ", count: 150) + "x"
        #expect(throws: AccessLogLineMismatch.self) { try format.parse(line) }
    }

    /// Undoes `\"`, `\\` and `\xhh` independently of the code under test.
    static func unescapeReference(_ text: String) -> String {
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            guard byte == UInt8(ascii: "\\"), let next = input.popFirst() else {
                bytes.append(byte)
                continue
            }
            if next == UInt8(ascii: "x"), let high = input.popFirst(), let low = input.popFirst(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(next)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
