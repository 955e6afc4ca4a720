import PAGIHTTP1
import Testing

@Suite("HTTP1ResponseSerializer")
struct HTTP1ResponseSerializerTests {
    let http11 = HTTP1ResponseContext(version: .http1_1, isHeadRequest: false, keepAlive: true)

    func write(
        status: Int,
        _ pairs: [(String, String)],
        context: HTTP1ResponseContext,
        serverName: String? = nil
    ) throws -> (String, HTTP1ResponseFraming) {
        var serializer = HTTP1ResponseSerializer(serverName: serverName)
        var output: [UInt8] = []
        let framing = try serializer.writeHead(
            status: status,
            fields: fields(pairs),
            context: context,
            epochSecond: exampleEpochSecond,
            into: &output
        )
        return (String(decoding: output, as: UTF8.self), framing)
    }

    @Test func contentLengthResponse() throws {
        let (text, framing) = try self.write(status: 200, [("content-type", "text/plain"), ("Content-Length", "5")], context: self.http11)
        #expect(text == "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nContent-Length: 5\r\ndate: \(exampleDate)\r\n\r\n")
        #expect(framing.body == .contentLength)
        #expect(framing.keepAlive)
        #expect(!framing.allowsTrailers)
    }

    @Test func chunkedWhenNoLengthOnHTTP11() throws {
        let (text, framing) = try self.write(status: 201, [("x-a", "1")], context: self.http11, serverName: "PAGI-Test")
        #expect(text == "HTTP/1.1 201 Created\r\nx-a: 1\r\ndate: \(exampleDate)\r\nserver: PAGI-Test\r\ntransfer-encoding: chunked\r\n\r\n")
        #expect(framing.body == .chunked)
        #expect(framing.allowsTrailers)
    }

    @Test func appTransferEncodingIsDroppedAndDateServerNotDuplicated() throws {
        let pairs = [("Transfer-Encoding", "gzip"), ("Date", "yesterday"), ("Server", "mine")]
        let (text, _) = try self.write(status: 200, pairs, context: self.http11, serverName: "PAGI-Test")
        #expect(text == "HTTP/1.1 200 OK\r\nDate: yesterday\r\nServer: mine\r\ntransfer-encoding: chunked\r\n\r\n")
    }

    @Test func http10WithoutLengthIsCloseDelimited() throws {
        let context = HTTP1ResponseContext(version: .http1_0, isHeadRequest: false, keepAlive: true)
        let (text, framing) = try self.write(status: 200, [], context: context)
        #expect(text == "HTTP/1.0 200 OK\r\ndate: \(exampleDate)\r\nconnection: close\r\n\r\n")
        #expect(framing.body == .untilClose)
        #expect(!framing.keepAlive)
    }

    @Test func http10KeepAliveWithLength() throws {
        let context = HTTP1ResponseContext(version: .http1_0, isHeadRequest: false, keepAlive: true)
        let (text, framing) = try self.write(status: 200, [("content-length", "0")], context: context)
        #expect(text == "HTTP/1.0 200 OK\r\ncontent-length: 0\r\ndate: \(exampleDate)\r\nconnection: keep-alive\r\n\r\n")
        #expect(framing.keepAlive)
    }

    @Test func http11CloseIsAnnounced() throws {
        let context = HTTP1ResponseContext(version: .http1_1, isHeadRequest: false, keepAlive: false)
        let (text, framing) = try self.write(status: 200, [("content-length", "0")], context: context)
        #expect(text.hasSuffix("connection: close\r\n\r\n"))
        #expect(!framing.keepAlive)
    }

    @Test func headNeverHasABodyButKeepsContentLength() throws {
        let context = HTTP1ResponseContext(version: .http1_1, isHeadRequest: true, keepAlive: true)
        let (withLength, framing) = try self.write(status: 200, [("content-length", "42")], context: context)
        #expect(withLength == "HTTP/1.1 200 OK\r\ncontent-length: 42\r\ndate: \(exampleDate)\r\n\r\n")
        #expect(framing.body == .none)
        let (withoutLength, _) = try self.write(status: 200, [], context: context)
        #expect(!withoutLength.contains("transfer-encoding"))
    }

    @Test(arguments: [204, 304, 100, 103])
    func statusesWithoutBody(status: Int) throws {
        let (text, framing) = try self.write(status: status, [("content-length", "3")], context: self.http11)
        #expect(framing.body == .none)
        #expect(!text.contains("transfer-encoding"))
        // 1xx and 204 must not carry Content-Length; 304 may (it describes the selected representation).
        #expect(text.contains("content-length") == (status == 304))
    }

    @Test func unregisteredStatusHasEmptyReason() throws {
        let (text, _) = try self.write(status: 599, [("content-length", "0")], context: self.http11)
        #expect(text.hasPrefix("HTTP/1.1 599 \r\n"))
    }

    @Test(arguments: [99, 1000, -1])
    func invalidStatusIsRefused(status: Int) {
        #expect(throws: HTTP1SerializationError.invalidStatus) {
            try self.write(status: status, [], context: self.http11)
        }
    }

    static let injections: [(String, String, HTTP1SerializationError, String)] = [
        ("x-a\r\nx-evil", "1", .nameHasLineBreakOrNUL(fieldIndex: 1), "Invalid header name: contains CR, LF, or null byte"),
        ("x-a\n", "1", .nameHasLineBreakOrNUL(fieldIndex: 1), "Invalid header name: contains CR, LF, or null byte"),
        ("x-a\u{0}", "1", .nameHasLineBreakOrNUL(fieldIndex: 1), "Invalid header name: contains CR, LF, or null byte"),
        ("x-a\t", "1", .nameHasControlCharacter(fieldIndex: 1), "Invalid header name: contains control characters"),
        ("x-a\u{7F}", "1", .nameHasControlCharacter(fieldIndex: 1), "Invalid header name: contains control characters"),
        ("x-a\t\r", "1", .nameHasLineBreakOrNUL(fieldIndex: 1), "Invalid header name: contains CR, LF, or null byte"),
        ("x-a", "1\r\nSet-Cookie: evil", .valueHasLineBreakOrNUL(fieldIndex: 1), "Invalid header value: contains CR, LF, or null byte"),
        ("x-a", "1\n", .valueHasLineBreakOrNUL(fieldIndex: 1), "Invalid header value: contains CR, LF, or null byte"),
        ("x-a", "\u{0}", .valueHasLineBreakOrNUL(fieldIndex: 1), "Invalid header value: contains CR, LF, or null byte"),
    ]

    @Test(arguments: Self.injections)
    func headerInjectionIsRefusedAndNothingIsWritten(name: String, value: String, error: HTTP1SerializationError, message: String) {
        var serializer = HTTP1ResponseSerializer()
        var output: [UInt8] = []
        #expect(throws: error) {
            try serializer.writeHead(status: 200, fields: fields([("ok", "fine"), (name, value)]), context: self.http11, into: &output)
        }
        #expect(output.isEmpty)
        #expect(error.message == message)
    }

    @Test func tabsAndControlBytesOtherThanCRLFNULAreAllowedInValues() throws {
        let (text, _) = try self.write(status: 200, [("x-a", "a\tb\u{B}c"), ("", "empty name")], context: self.http11)
        #expect(text.contains("x-a: a\tb\u{B}c\r\n"))
        #expect(text.contains("\r\n: empty name\r\n"))
    }

    @Test func continueResponse() {
        var output: [UInt8] = []
        HTTP1ResponseSerializer.writeContinue(into: &output)
        #expect(output == Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }

    @Test func errorResponseForParseError() {
        var serializer = HTTP1ResponseSerializer(serverName: "PAGI-Test")
        var output: [UInt8] = []
        serializer.writeErrorResponse(for: .chunkedNotFinalCoding, epochSecond: exampleEpochSecond, into: &output)
        let body = "chunked must be the final Transfer-Encoding"
        #expect(
            String(decoding: output, as: UTF8.self)
                == "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: \(body.utf8.count)\r\ndate: \(exampleDate)\r\nserver: PAGI-Test\r\nconnection: close\r\n\r\n\(body)"
        )
    }

    @Test(arguments: [
        (HTTP1ParseError.requestLineTooLong, "414 URI Too Long"), (.tooManyHeaders, "431 Request Header Fields Too Large"),
        (.bodyTooLarge, "413 Payload Too Large"), (.unsupportedTransferEncoding, "501 Not Implemented"),
        (.unsupportedVersion, "505 HTTP Version Not Supported"),
    ])
    func errorResponseStatusLines(error: HTTP1ParseError, statusLine: String) {
        var serializer = HTTP1ResponseSerializer()
        var output: [UInt8] = []
        serializer.writeErrorResponse(for: error, into: &output)
        #expect(String(decoding: output, as: UTF8.self).hasPrefix("HTTP/1.1 \(statusLine)\r\n"))
    }

    @Test func worksWithLazyMappedFieldViews() throws {
        // The server passes its own header type through a lazy map; no intermediate array is needed.
        struct Field { var name: ArraySlice<UInt8>; var value: ArraySlice<UInt8> }
        let source = [Field(name: ArraySlice("content-length".utf8), value: ArraySlice("0".utf8))]
        var serializer = HTTP1ResponseSerializer(serverName: nil)
        var output: [UInt8] = []
        try serializer.writeHead(
            status: 404,
            fields: source.lazy.map { (name: $0.name, value: $0.value) },
            context: self.http11,
            epochSecond: exampleEpochSecond,
            into: &output
        )
        #expect(String(decoding: output, as: UTF8.self) == "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\ndate: \(exampleDate)\r\n\r\n")
    }

    @Test func contextFromRequestHead() {
        var parser = HTTP1RequestParser()
        let request = Array("HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { parser.parse($0) }
        let context = HTTP1ResponseContext(requestHead: parser.head)
        #expect(context == HTTP1ResponseContext(version: .http1_0, isHeadRequest: true, keepAlive: true))
    }
}
