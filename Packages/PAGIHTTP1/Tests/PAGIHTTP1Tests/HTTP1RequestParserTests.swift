import PAGIHTTP1
import Testing

@Suite("HTTP1RequestParser: heads, bodies, pipelining")
struct HTTP1RequestParserTests {
    @Test func simpleGet() throws {
        let outputs = parseVerifyingSplits("GET /a%20b?x=1&y=?2 HTTP/1.1\nHost: example.com\nX-Custom:  v a l  \n\n".crlf)
        #expect(outputs.count == 2)
        let head = try #require(outputs.first?.head)
        #expect(head.method == "GET")
        #expect(head.target == "/a%20b?x=1&y=?2")
        #expect(head.rawPath == "/a%20b")
        #expect(head.query == "x=1&y=?2")
        #expect(head.version == .http1_1)
        #expect(head.form == .origin)
        #expect(head.fields == ["host: example.com", "x-custom: v a l"])
        #expect(head.framing == HTTP1BodyFraming.none)
        #expect(head.keepAlive)
        #expect(outputs.last == .end(trailers: []))
    }

    @Test func contentLengthBody() {
        let outputs = parseVerifyingSplits("POST /p HTTP/1.1\nHost: h\nContent-Length: 5\n\nhello".crlf)
        #expect(outputs.dropFirst() == [.body(Array("hello".utf8)), .end(trailers: [])])
        #expect(outputs.first?.head?.framing == .contentLength(5))
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() {
        let request = "POST /p HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n5;a=b\nhello\n6 ; q=\"x\"\n world\n0\nX-Trailer: t\n\n".crlf
        let outputs = parseVerifyingSplits(request)
        #expect(outputs.first?.head?.framing == .chunked)
        #expect(outputs.dropFirst() == [.body(Array("hello world".utf8)), .end(trailers: ["x-trailer: t"])])
    }
}
