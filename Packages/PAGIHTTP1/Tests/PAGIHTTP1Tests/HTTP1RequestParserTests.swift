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

@Suite("HTTP1RequestParser: pipelining, keep-alive reuse, error and idle states")
struct HTTP1RequestParserConnectionTests {
    @Test func manyPipelinedRequestsInOneBuffer() {
        var text = ""
        for index in 0..<16 {
            text += "GET /r\(index) HTTP/1.1\r\nHost: h\r\n\r\n"
        }
        text += "POST /body HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        text += "POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\n"
        text += "GET /last HTTP/1.0\r\n\r\n"
        let outputs = parseVerifyingSplits(text)
        #expect(outputs.compactMap(\.head).map(\.target) == (0..<16).map { "/r\($0)" } + ["/body", "/chunked", "/last"])
        #expect(outputs.filter { $0 == .end(trailers: []) }.count == 19)
        #expect(outputs.contains(.body(Array("abc".utf8))))
        #expect(outputs.contains(.body(Array("xy".utf8))))
    }

    @Test func errorIsStickyAndConsumesNothing() {
        var parser = HTTP1RequestParser()
        let bad = Array("GET / HTTP/1.1\r\nHost: h\r\nX : y\r\n\r\n".utf8)
        let first = bad.withUnsafeBytes { parser.parse($0) }
        #expect(first == HTTP1ParseResult(consumed: 0, event: .error(.whitespaceBeforeColon)))
        let good = Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        #expect(good.withUnsafeBytes { parser.parse($0) } == first)
    }

    @Test func idleStateTracksMessageBoundaries() {
        var parser = HTTP1RequestParser()
        #expect(parser.isIdle)
        let partial = Array("GET / HTTP/1.1\r\n".utf8)
        #expect(partial.withUnsafeBytes { parser.parse($0) } == HTTP1ParseResult(consumed: partial.count, event: .needMoreData))
        #expect(!parser.isIdle)
        let rest = Array("Host: h\r\n\r\n".utf8)
        #expect(rest.withUnsafeBytes { parser.parse($0) }.event == .head)
        #expect(!parser.isIdle)
        #expect([UInt8]().withUnsafeBytes { parser.parse($0) }.event == .end)
        #expect(parser.isIdle)
        #expect([UInt8]().withUnsafeBytes { parser.parse($0) } == HTTP1ParseResult(consumed: 0, event: .needMoreData))
    }

    @Test func headStaysReadableUntilTheNextRequestStarts() {
        var parser = HTTP1RequestParser()
        let input = Array("GET /one HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        _ = input.withUnsafeBytes { parser.parse($0) }
        _ = [UInt8]().withUnsafeBytes { parser.parse($0) }
        #expect(parser.isIdle)
        #expect(parser.head.target.elementsEqual("/one".utf8))
        let held = parser.head
        let next = Array("GET /two HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        _ = next.withUnsafeBytes { parser.parse($0) }
        // A head kept across requests is a copy-on-write value: it still shows the old request.
        #expect(held.target.elementsEqual("/one".utf8))
        #expect(parser.head.target.elementsEqual("/two".utf8))
    }

    @Test func keepAliveReuseDoesNotGrowTheBuffer() {
        var parser = HTTP1RequestParser()
        let request = Array("GET /reuse HTTP/1.1\r\nHost: h\r\nUser-Agent: test\r\n\r\n".utf8)
        var bufferAddresses: Set<UInt> = []
        for _ in 0..<100 {
            var offset = 0
            while true {
                let result = request.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
                offset += result.consumed
                if result.event == .end || result.event == .needMoreData {
                    break
                }
            }
            let address = parser.head.target.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
            bufferAddresses.insert(address)
        }
        // The head lives in the same storage for every request: nothing was reallocated.
        #expect(bufferAddresses.count == 1)
    }
}
