import PAGIHTTP1
import Testing

@Suite("HTTP1RequestParser: Content-Length and Transfer-Encoding framing")
struct HTTP1RequestParserFramingTests {
    static let rejections: [Rejection] = [
        Rejection("CL with TE", "POST / HTTP/1.1\nHost: h\nContent-Length: 3\nTransfer-Encoding: chunked\n\n", .contentLengthWithTransferEncoding),
        Rejection("TE with CL", "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\nContent-Length: 3\n\n", .contentLengthWithTransferEncoding),
        Rejection("negative CL", "POST / HTTP/1.1\nHost: h\nContent-Length: -1\n\n", .invalidContentLength),
        Rejection("plus sign CL", "POST / HTTP/1.1\nHost: h\nContent-Length: +5\n\n", .invalidContentLength),
        Rejection("letters CL", "POST / HTTP/1.1\nHost: h\nContent-Length: abc\n\n", .invalidContentLength),
        Rejection("hex CL", "POST / HTTP/1.1\nHost: h\nContent-Length: 0x5\n\n", .invalidContentLength),
        Rejection("inner space CL", "POST / HTTP/1.1\nHost: h\nContent-Length: 1 2\n\n", .invalidContentLength),
        Rejection("empty CL", "POST / HTTP/1.1\nHost: h\nContent-Length:\n\n", .invalidContentLength),
        Rejection("trailing comma CL", "POST / HTTP/1.1\nHost: h\nContent-Length: 5,\n\n", .invalidContentLength),
        Rejection("differing CL list", "POST / HTTP/1.1\nHost: h\nContent-Length: 5, 6\n\n", .conflictingContentLength),
        Rejection("differing CL fields", "POST / HTTP/1.1\nHost: h\nContent-Length: 5\nContent-Length: 6\n\n", .conflictingContentLength),
        Rejection("overflowing CL", "POST / HTTP/1.1\nHost: h\nContent-Length: 99999999999999999999\n\n", .contentLengthOverflow),
        Rejection("CL over body limit", "POST / HTTP/1.1\nHost: h\nContent-Length: 10000001\n\n", .contentLengthTooLarge),
        Rejection("chunked not last", "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked, gzip\n\n", .chunkedNotFinalCoding),
        Rejection("chunked twice", "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked, chunked\n\n", .chunkedNotFinalCoding),
        Rejection("chunked then another field", "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\nTransfer-Encoding: gzip\n\n", .chunkedNotFinalCoding),
        Rejection("unknown coding", "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: gzip\n\n", .unsupportedTransferEncoding),
        Rejection("unknown coding before chunked", "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: gzip, chunked\n\n", .unsupportedTransferEncoding),
        Rejection("identity coding", "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: identity\n\n", .unsupportedTransferEncoding),
        Rejection("empty TE", "POST / HTTP/1.1\nHost: h\nTransfer-Encoding:\n\n", .invalidTransferEncoding),
        Rejection("empty TE member", "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: , chunked\n\n", .invalidTransferEncoding),
        Rejection("chunked with parameter", "POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked;q=1\n\n", .invalidTransferEncoding),
        Rejection("TE in HTTP/1.0", "POST / HTTP/1.0\nTransfer-Encoding: chunked\n\n", .transferEncodingInHTTP10),
    ]

    @Test(arguments: Self.rejections)
    func rejects(_ rejection: Rejection) {
        #expect(parseError(rejection.request.crlf) == rejection.error)
    }

    @Test func statusOfEachFramingError() {
        #expect(HTTP1ParseError.contentLengthWithTransferEncoding.status == 400)
        #expect(HTTP1ParseError.chunkedNotFinalCoding.status == 400)
        #expect(HTTP1ParseError.unsupportedTransferEncoding.status == 501)
        #expect(HTTP1ParseError.contentLengthTooLarge.status == 413)
        #expect(HTTP1ParseError.invalidContentLength.status == 400)
        #expect(HTTP1ParseError.contentLengthOverflow.status == 400)
    }

    @Test func identicalContentLengthsAreOneValue() {
        let list = parseVerifyingSplits("POST / HTTP/1.1\nHost: h\nContent-Length: 3, 3\n\nabc".crlf)
        #expect(list.first?.head?.framing == .contentLength(3))
        #expect(list.dropFirst() == [.body(Array("abc".utf8)), .end(trailers: [])])
        let fields = parseVerifyingSplits("POST / HTTP/1.1\nHost: h\nContent-Length: 3\nContent-Length: 003\n\nabc".crlf)
        #expect(fields.first?.head?.framing == .contentLength(3))
    }

    @Test func chunkedCodingIsCaseInsensitive() {
        #expect(parseHead("POST / HTTP/1.1\nHost: h\nTransfer-Encoding:  Chunked \n\n0\n\n".crlf)?.framing == .chunked)
    }

    @Test func zeroContentLengthHasNoBody() {
        let outputs = parseVerifyingSplits("POST / HTTP/1.1\nHost: h\nContent-Length: 0\n\n".crlf)
        #expect(outputs.first?.head?.framing == HTTP1BodyFraming.none)
        #expect(outputs.count == 2)
        #expect(outputs.last == .end(trailers: []))
    }

    @Test func bodyLimitJustUnderAndOver() {
        let limits = HTTP1Limits(maxBodySize: 10)
        let under = parseVerifyingSplits("POST / HTTP/1.1\nHost: h\nContent-Length: 10\n\n0123456789".crlf, limits: limits)
        #expect(under.last == .end(trailers: []))
        #expect(parseError("POST / HTTP/1.1\nHost: h\nContent-Length: 11\n\n".crlf, limits: limits) == .contentLengthTooLarge)
    }

    @Test func noBodyLimitAcceptsHugeLengths() {
        let limits = HTTP1Limits(maxBodySize: nil)
        let head = parseHead("POST / HTTP/1.1\nHost: h\nContent-Length: 9223372036854775807\n\n".crlf, limits: limits)
        #expect(head?.framing == .contentLength(Int.max))
    }

    @Test func requestWithoutFramingHasNoBody() {
        // No read-until-close bodies for requests: the next bytes are the next request.
        let outputs = parseVerifyingSplits("POST /a HTTP/1.1\nHost: h\n\nGET /b HTTP/1.1\nHost: h\n\n".crlf)
        #expect(outputs.compactMap(\.head).map(\.target) == ["/a", "/b"])
        #expect(outputs.count == 4)
    }
}
