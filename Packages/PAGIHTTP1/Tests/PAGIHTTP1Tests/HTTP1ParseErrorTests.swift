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
