import PAGIHTTP1
import Testing

@Suite("HTTP1ParseError")
struct HTTP1ParseErrorTests {
    static let all: [(HTTP1ParseError, Int)] = [
        (.malformedRequestLine, 400), (.invalidMethod, 400), (.invalidTarget, 400), (.malformedVersion, 400),
        (.unsupportedVersion, 505), (.requestLineTooLong, 414), (.headerSectionTooLarge, 431), (.tooManyHeaders, 431),
        (.malformedHeaderLine, 400), (.emptyHeaderName, 400), (.whitespaceBeforeColon, 400), (.invalidHeaderName, 400),
        (.invalidHeaderValue, 400), (.obsoleteLineFolding, 400), (.bareLineFeed, 400), (.bareCarriageReturn, 400),
        (.missingHost, 400), (.multipleHost, 400), (.invalidContentLength, 400), (.conflictingContentLength, 400),
        (.contentLengthOverflow, 400), (.contentLengthTooLarge, 413), (.contentLengthWithTransferEncoding, 400),
        (.chunkedNotFinalCoding, 400), (.transferEncodingInHTTP10, 400), (.invalidTransferEncoding, 400),
        (.unsupportedTransferEncoding, 501), (.invalidChunkSize, 400), (.chunkSizeOverflow, 400), (.invalidChunkExtension, 400),
        (.chunkExtensionTooLong, 400), (.missingChunkDataTerminator, 400), (.bodyTooLarge, 413),
    ]

    @Test func eachErrorMapsToExactlyOneStatus() {
        for (error, status) in Self.all {
            #expect(error.status == status, "\(error.reason)")
        }
    }

    @Test func reasonsAreDistinctAndDescriptionsSayWhatToDo() {
        #expect(Set(Self.all.map(\.0.reason)).count == Self.all.count)
        #expect(Set(Self.all.map(\.0)).count == Self.all.count)
        for (error, status) in Self.all {
            #expect(error.description.contains("\(status)"))
            #expect(error.description.contains(error.reason))
            #expect(error.description.contains("HTTP1Limits"))
        }
    }

    @Test func specBodyTextsForFramingErrors() {
        // server-behaviour §3.2 bodies, kept verbatim where the reference server has a specific one.
        #expect(HTTP1ParseError.chunkedNotFinalCoding.reason == "chunked must be the final Transfer-Encoding")
        #expect(HTTP1ParseError.contentLengthWithTransferEncoding.reason == "Transfer-Encoding and Content-Length are mutually exclusive")
        #expect(HTTP1ParseError.unsupportedTransferEncoding.reason.hasPrefix("Unsupported Transfer-Encoding"))
    }
}

@Suite("HTTP1Version")
struct HTTP1VersionTests {
    @Test func descriptionIsTheScopeValue() {
        #expect(HTTP1Version.http1_0.description == "1.0")
        #expect(HTTP1Version.http1_1.description == "1.1")
        #expect(HTTP1Version(major: 1, minor: 1) == .http1_1)
    }
}

@Suite("HTTP1HeaderFields")
struct HTTP1HeaderFieldsTests {
    @Test func lookupIsCaseInsensitiveAndKeepsDuplicates() throws {
        var parser = HTTP1RequestParser()
        let request = Array("GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\nX-Dup: 1\r\nx-dup: 2\r\n\r\n".utf8)
        #expect(request.withUnsafeBytes { parser.parse($0) }.event == .head)
        let headers = parser.head.headers
        #expect(headers.count == 4)
        #expect(headers.first(name: "ACCEPT").map { Array($0) } == Array("a".utf8))
        #expect(headers.first(name: "missing") == nil)
        #expect(headers.values(name: "X-DUP").map { Array($0) } == [Array("1".utf8), Array("2".utf8)])
        #expect(headers[2].nameString == "x-dup")
        #expect(headers[3].valueString == "2")
    }
}

@Suite("HTTP1ResponseFraming")
struct HTTP1ResponseFramingTests {
    @Test(arguments: [
        // (version, HEAD, keep-alive, status, has CL) → (body, keep-alive)
        (HTTP1Version.http1_1, false, true, 200, true, HTTP1ResponseFraming.Body.contentLength, true),
        (.http1_1, false, true, 200, false, .chunked, true),
        (.http1_1, false, false, 200, false, .chunked, false),
        (.http1_1, true, true, 200, false, .none, true),
        (.http1_1, false, true, 204, false, .none, true),
        (.http1_1, false, true, 304, true, .none, true),
        (.http1_1, false, true, 101, false, .none, true),
        (.http1_0, false, true, 200, true, .contentLength, true),
        (.http1_0, false, false, 200, true, .contentLength, false),
        (.http1_0, false, true, 200, false, .untilClose, false),
        (.http1_0, true, true, 200, false, .none, true),
    ])
    func decision(
        version: HTTP1Version,
        isHead: Bool,
        keepAlive: Bool,
        status: Int,
        hasContentLength: Bool,
        body: HTTP1ResponseFraming.Body,
        staysOpen: Bool
    ) {
        let framing = HTTP1ResponseFraming(
            status: status,
            context: HTTP1ResponseContext(version: version, isHeadRequest: isHead, keepAlive: keepAlive),
            hasContentLength: hasContentLength
        )
        #expect(framing.body == body)
        #expect(framing.keepAlive == staysOpen)
        #expect(framing.allowsTrailers == (body == .chunked))
    }
}
