import NIOCore
import PAGI
import Testing

@testable import PAGIServer

@Suite("SSEEventSerializer")
struct SSEEventSerializerTests {
    private func event(_ message: PAGISSEMessage) throws -> String {
        var buffer = ByteBuffer()
        try SSEEventSerializer.writeEvent(message, into: &buffer)
        return String(buffer: buffer)
    }

    private func comment(_ text: String) -> String {
        var buffer = ByteBuffer()
        SSEEventSerializer.writeComment(text, into: &buffer)
        return String(buffer: buffer)
    }

    @Test("all fields in spec order: event, data, id, retry, blank line")
    func allFields() throws {
        let wire = try self.event(PAGISSEMessage(data: "hello", event: "tick", id: "7", retry: 1500))
        #expect(wire == "event: tick\ndata: hello\nid: 7\nretry: 1500\n\n")
    }

    @Test("data only")
    func dataOnly() throws {
        #expect(try self.event(PAGISSEMessage(data: "x")) == "data: x\n\n")
    }

    @Test(
        "data is split on LF, CRLF and CR into one data: line each; no CR reaches the wire",
        arguments: [
            ("a\nb", "data: a\ndata: b\n\n"),
            ("a\r\nb", "data: a\ndata: b\n\n"),
            ("a\rb", "data: a\ndata: b\n\n"),
            ("a\r\rb", "data: a\ndata: \ndata: b\n\n"),
            ("a\n\r\nb", "data: a\ndata: \ndata: b\n\n"),
            ("a\r\n\rb", "data: a\ndata: \ndata: b\n\n"),
            ("\nb", "data: \ndata: b\n\n"),
        ]
    )
    func lineBreaks(data: String, expected: String) throws {
        let wire = try self.event(PAGISSEMessage(data: data))
        #expect(wire == expected)
        #expect(!wire.utf8.contains(UInt8(ascii: "\r")))
    }

    @Test("a trailing line break yields a final empty data: line", arguments: ["a\n", "a\r\n", "a\r"])
    func trailingBreak(data: String) throws {
        #expect(try self.event(PAGISSEMessage(data: data)) == "data: a\ndata: \n\n")
    }

    @Test("empty data writes one empty data: line so clients dispatch the event (⚠ decision)")
    func emptyData() throws {
        #expect(try self.event(PAGISSEMessage(data: "")) == "data: \n\n")
        #expect(try self.event(PAGISSEMessage(data: "", event: "ping")) == "event: ping\ndata: \n\n")
    }

    @Test("empty event and id are written when given; an empty id resets Last-Event-ID")
    func emptyEventAndID() throws {
        #expect(try self.event(PAGISSEMessage(data: "x", event: "", id: "")) == "event: \ndata: x\nid: \n\n")
    }

    @Test("retry 0 is valid")
    func retryZero() throws {
        #expect(try self.event(PAGISSEMessage(data: "x", retry: 0)) == "data: x\nretry: 0\n\n")
    }

    @Test("non-ASCII text is written as UTF-8")
    func unicode() throws {
        #expect(try self.event(PAGISSEMessage(data: "héllo\n✓", event: "ü")) == "event: ü\ndata: héllo\ndata: ✓\n\n")
    }

    @Test(
        "line breaks in event or id are rejected and nothing is written",
        arguments: [
            (PAGISSEMessage(data: "x", event: "a\nb"), SSEEventError(field: .event, problem: .forbiddenByte(0x0A))),
            (PAGISSEMessage(data: "x", event: "a\rb"), SSEEventError(field: .event, problem: .forbiddenByte(0x0D))),
            (PAGISSEMessage(data: "x", id: "1\n"), SSEEventError(field: .id, problem: .forbiddenByte(0x0A))),
            (PAGISSEMessage(data: "x", id: "\r1"), SSEEventError(field: .id, problem: .forbiddenByte(0x0D))),
            (PAGISSEMessage(data: "x", id: "1\u{0}"), SSEEventError(field: .id, problem: .forbiddenByte(0))),
            (PAGISSEMessage(data: "x", retry: -1), SSEEventError(field: .retry, problem: .negative(-1))),
        ]
    )
    func rejections(message: PAGISSEMessage, expected: SSEEventError) {
        var buffer = ByteBuffer()
        #expect(throws: expected) { try SSEEventSerializer.writeEvent(message, into: &buffer) }
        #expect(buffer.readableBytes == 0)
    }

    @Test("a NUL in event is allowed (only id forbids it)")
    func nulInEvent() throws {
        #expect(try self.event(PAGISSEMessage(data: "x", event: "a\u{0}")) == "event: a\u{0}\ndata: x\n\n")
    }

    @Test("error descriptions name the field and the fix")
    func errorDescriptions() {
        let lineBreak = SSEEventError(field: .id, problem: .forbiddenByte(0x0A)).description
        #expect(lineBreak.contains("'id'") && lineBreak.contains("LF"))
        let negative = SSEEventError(field: .retry, problem: .negative(-5)).description
        #expect(negative.contains("-5") && negative.contains("non-negative"))
    }

    @Test("events append to what the sink already holds")
    func appends() throws {
        var buffer = ByteBuffer(string: "X")
        try SSEEventSerializer.writeEvent(PAGISSEMessage(data: "1"), into: &buffer)
        try SSEEventSerializer.writeEvent(PAGISSEMessage(data: "2"), into: &buffer)
        #expect(String(buffer: buffer) == "Xdata: 1\n\ndata: 2\n\n")
    }

    @Test(
        "comments: ':' added per line unless present, then a blank line",
        arguments: [
            ("", ":\n\n"),
            ("keepalive", ":keepalive\n\n"),
            (":keepalive", ":keepalive\n\n"),
            (" spaced", ": spaced\n\n"),
            ("a\nb", ":a\n:b\n\n"),
            ("a\r\n:b\rc", ":a\n:b\n:c\n\n"),
            ("a\n", ":a\n:\n\n"),
        ]
    )
    func comments(text: String, expected: String) {
        #expect(self.comment(text) == expected)
    }

    @Test("line splitting visits every line, including empty ones")
    func forEachLine() {
        var lines: [String] = []
        SSEEventSerializer.forEachLine(of: "a\r\n\nb\r") { lines.append(String(decoding: $0, as: UTF8.self)) }
        #expect(lines == ["a", "", "b", ""])
    }

    @Test(
        "encodedSize is exactly what writeEvent writes",
        arguments: [
            PAGISSEMessage(data: ""),
            PAGISSEMessage(data: "a\r\n\rb\n", event: "tick", id: "42", retry: 0),
            PAGISSEMessage(data: "héllo ✓", event: "", id: "", retry: 1_234_567),
            PAGISSEMessage(data: "\n\n\n", retry: Int.max),
            PAGISSEMessage(data: String(repeating: "x", count: 5000)),
        ]
    )
    func encodedSize(message: PAGISSEMessage) throws {
        var buffer = ByteBuffer()
        try SSEEventSerializer.writeEvent(message, into: &buffer)
        #expect(SSEEventSerializer.encodedSize(of: message) == buffer.readableBytes)
    }

    @Test("encodedSize(ofComment:) is exactly what writeComment writes", arguments: ["", "k", ":k", "a\r\n:b\rc", "\n"])
    func encodedCommentSize(text: String) {
        var buffer = ByteBuffer()
        SSEEventSerializer.writeComment(text, into: &buffer)
        #expect(SSEEventSerializer.encodedSize(ofComment: text) == buffer.readableBytes)
    }
}
