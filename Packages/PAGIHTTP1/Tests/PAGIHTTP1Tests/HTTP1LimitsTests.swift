import PAGIHTTP1
import Testing

@Suite("HTTP1Limits: every limit just under and just over")
struct HTTP1LimitsTests {
    @Test func defaultsMatchTheSpec() {
        let limits = HTTP1Limits()
        #expect(limits.maxHeaderSectionSize == 8192)
        #expect(limits.maxHeaderCount == 100)
        #expect(limits.maxRequestLineLength == 8192)
        #expect(limits.maxBodySize == 10_000_000)
        #expect(limits.maxChunkExtensionLength == 4096)
    }

    /// A request whose header section (offset of the final CRLF CRLF) is exactly `size` bytes.
    static func request(sectionSize size: Int) -> String {
        let prefix = "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: "
        return prefix + String(repeating: "a", count: size - prefix.utf8.count) + "\r\n\r\n"
    }

    @Test func headerSectionSizeDefault() {
        #expect(parseError(Self.request(sectionSize: 8192)) == nil)
        #expect(parseError(Self.request(sectionSize: 8193)) == .headerSectionTooLarge)
        #expect(HTTP1ParseError.headerSectionTooLarge.status == 431)
    }

    @Test func headerSectionSizeSmall() {
        let limits = HTTP1Limits(maxHeaderSectionSize: 64)
        #expect(parseError(Self.request(sectionSize: 64), limits: limits) == nil)
        #expect(parseError(Self.request(sectionSize: 65), limits: limits) == .headerSectionTooLarge)
    }

    @Test func unterminatedHeaderSectionIsRefusedOnceOverTheLimit() {
        // No CRLF CRLF ever arrives: memory must stay bounded and the error must come early.
        var parser = HTTP1RequestParser(limits: HTTP1Limits(maxHeaderSectionSize: 100))
        let start = Array("GET / HTTP/1.1\r\nHost: h\r\nX: ".utf8)
        #expect(start.withUnsafeBytes { parser.parse($0) }.event == .needMoreData)
        let flood = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let result = flood.withUnsafeBytes { parser.parse($0) }
        #expect(result.event == .error(.headerSectionTooLarge))
    }

    @Test func floodOfShortHeaderLinesIsRefused() {
        var parser = HTTP1RequestParser()
        var input = Array("GET / HTTP/1.1\r\nHost: h\r\n".utf8)
        for _ in 0..<10_000 {
            input += Array("a: b\r\n".utf8)
        }
        let result = input.withUnsafeBytes { parser.parse($0) }
        #expect(result.event == .error(.tooManyHeaders))
    }

    static func request(fieldCount: Int) -> String {
        var text = "GET / HTTP/1.1\r\nHost: h\r\n"
        for index in 1..<fieldCount {
            text += "X-\(index): v\r\n"
        }
        return text + "\r\n"
    }

    @Test func headerCountDefault() {
        #expect(parseError(Self.request(fieldCount: 100)) == nil)
        #expect(parseError(Self.request(fieldCount: 101)) == .tooManyHeaders)
        #expect(HTTP1ParseError.tooManyHeaders.status == 431)
    }

    @Test func headerCountSmall() {
        let limits = HTTP1Limits(maxHeaderCount: 3)
        #expect(parseError(Self.request(fieldCount: 3), limits: limits) == nil)
        #expect(parseError(Self.request(fieldCount: 4), limits: limits) == .tooManyHeaders)
    }

    /// A request whose request line (without CRLF) is exactly `length` bytes, with a header section
    /// big enough not to interfere.
    static func request(requestLineLength length: Int) -> String {
        let fixed = "GET / HTTP/1.0".utf8.count
        return "GET /" + String(repeating: "p", count: length - fixed) + " HTTP/1.0\r\n\r\n"
    }

    @Test func requestLineLengthDefault() {
        // 8192 is also the header-section limit, measured to the final CRLF CRLF: exactly fits.
        #expect(parseError(Self.request(requestLineLength: 8192)) == nil)
        #expect(parseError(Self.request(requestLineLength: 8193)) == .requestLineTooLong)
        #expect(HTTP1ParseError.requestLineTooLong.status == 414)
    }

    @Test func requestLineLengthSmall() {
        let limits = HTTP1Limits(maxRequestLineLength: 40)
        #expect(parseError(Self.request(requestLineLength: 40), limits: limits) == nil)
        #expect(parseError(Self.request(requestLineLength: 41), limits: limits) == .requestLineTooLong)
    }

    @Test func requestLineLimitWinsOverSectionLimitWhileUnterminated() {
        var parser = HTTP1RequestParser()
        let input = Array(("GET /" + String(repeating: "a", count: 20_000)).utf8)
        #expect(input.withUnsafeBytes { parser.parse($0) }.event == .error(.requestLineTooLong))
    }

    @Test func chunkedBodyLimit() {
        let limits = HTTP1Limits(maxBodySize: 10)
        let under = "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n5\n01234\n5\n56789\n0\n\n".crlf
        #expect(parseError(under, limits: limits) == nil)
        let over = "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n5\n01234\n6\n".crlf
        #expect(parseError(over, limits: limits) == .bodyTooLarge)
        #expect(HTTP1ParseError.bodyTooLarge.status == 413)
    }

    @Test func chunkExtensionLength() {
        let limits = HTTP1Limits(maxChunkExtensionLength: 8)
        let under = "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n1;1234567\na\n0\n\n".crlf
        #expect(parseError(under, limits: limits) == nil)
        let over = "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n1;12345678\na\n0\n\n".crlf
        #expect(parseError(over, limits: limits) == .chunkExtensionTooLong)
    }

    @Test func trailerSectionHasItsOwnLimits() {
        let limits = HTTP1Limits(maxHeaderSectionSize: 64, maxHeaderCount: 2)
        let head = "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n0\n".crlf
        #expect(parseError(head + "a: 1\nb: 2\n\n".crlf, limits: limits) == nil)
        #expect(parseError(head + "a: 1\nb: 2\nc: 3\n\n".crlf, limits: limits) == .tooManyHeaders)
        let fits = "x: " + String(repeating: "v", count: 61)
        #expect(parseError(head + fits + "\r\n\r\n", limits: limits) == nil)
        #expect(parseError(head + fits + "v\r\n\r\n", limits: limits) == .headerSectionTooLarge)
    }
}

@Suite("HTTP1Limits: error precedence does not depend on input splits")
struct HTTP1LimitPrecedenceTests {
    @Test func tooLongLineEndedByBareLineFeed() {
        // Found by the fuzzer: whole-buffer parsing saw the bare LF first, byte-wise parsing the length.
        let limits = HTTP1Limits(maxRequestLineLength: 32)
        #expect(parseError("GET /" + String(repeating: "a", count: 40) + " HTTP/1.1\nHost: h\r\n\r\n", limits: limits) == .requestLineTooLong)
    }

    @Test func oversizedHeaderLineEndedByBareLineFeed() {
        let limits = HTTP1Limits(maxHeaderSectionSize: 40)
        #expect(parseError("GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "a", count: 40) + "\n\r\n", limits: limits) == .headerSectionTooLarge)
    }
}
