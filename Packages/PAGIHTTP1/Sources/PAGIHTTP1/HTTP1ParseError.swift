/// Why a ``HTTP1RequestParser`` refused a request, and the one response the server should send.
///
/// Every rejection maps to exactly one status — 400, 413, 414, 431, 501 or 505 — in ``status``, and
/// a short human-readable ``reason`` suitable as the body of a `text/plain` error response. After an
/// error the connection cannot be resynchronised: the server answers with ``status`` and closes.
///
/// The type is a struct over a private code so that new rejections can be added without breaking
/// callers; compare against the static members (`error == .missingHost`).
public struct HTTP1ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case malformedRequestLine, invalidMethod, invalidTarget, malformedVersion, unsupportedVersion
        case requestLineTooLong, headerSectionTooLarge, tooManyHeaders
        case malformedHeaderLine, emptyHeaderName, whitespaceBeforeColon, invalidHeaderName, invalidHeaderValue
        case obsoleteLineFolding, bareLineFeed, bareCarriageReturn
        case missingHost, multipleHost
        case invalidContentLength, conflictingContentLength, contentLengthOverflow, contentLengthTooLarge
        case contentLengthWithTransferEncoding, chunkedNotFinalCoding, transferEncodingInHTTP10
        case invalidTransferEncoding, unsupportedTransferEncoding
        case invalidChunkSize, chunkSizeOverflow, invalidChunkExtension, chunkExtensionTooLong
        case missingChunkDataTerminator, bodyTooLarge
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The HTTP status code the server should answer with: 400, 413, 414, 431, 501 or 505.
    public var status: Int {
        switch self.code {
        case .requestLineTooLong:
            return 414
        case .headerSectionTooLarge, .tooManyHeaders:
            return 431
        case .contentLengthTooLarge, .bodyTooLarge:
            return 413
        case .unsupportedTransferEncoding:
            return 501
        case .unsupportedVersion:
            return 505
        case .malformedRequestLine, .invalidMethod, .invalidTarget, .malformedVersion,
            .malformedHeaderLine, .emptyHeaderName, .whitespaceBeforeColon, .invalidHeaderName, .invalidHeaderValue,
            .obsoleteLineFolding, .bareLineFeed, .bareCarriageReturn, .missingHost, .multipleHost,
            .invalidContentLength, .conflictingContentLength, .contentLengthOverflow,
            .contentLengthWithTransferEncoding, .chunkedNotFinalCoding, .transferEncodingInHTTP10,
            .invalidTransferEncoding, .invalidChunkSize, .chunkSizeOverflow, .invalidChunkExtension,
            .chunkExtensionTooLong, .missingChunkDataTerminator:
            return 400
        }
    }

    /// A short statement of what was wrong with the request, fit for the body of the error response.
    public var reason: String {
        switch self.code {
        case .malformedRequestLine:
            return "Malformed request line: expected 'METHOD SP request-target SP HTTP/1.x CRLF'"
        case .invalidMethod:
            return "Invalid method: the method must be a non-empty token"
        case .invalidTarget:
            return "Invalid request target: must be origin-form (/path), absolute-form, '*' (OPTIONS only) or authority-form (CONNECT only), visible ASCII without spaces"
        case .malformedVersion:
            return "Malformed HTTP version: expected exactly 'HTTP/<digit>.<digit>' in upper case"
        case .unsupportedVersion:
            return "HTTP Version Not Supported: only HTTP/1.0 and HTTP/1.1 are served"
        case .requestLineTooLong:
            return "URI Too Long: the request line exceeds the server's limit"
        case .headerSectionTooLarge:
            return "Request Header Fields Too Large: the header section exceeds the server's size limit"
        case .tooManyHeaders:
            return "Request Header Fields Too Large: too many header fields"
        case .malformedHeaderLine:
            return "Malformed header line: expected 'name: value' with a colon"
        case .emptyHeaderName:
            return "Malformed header line: empty field name"
        case .whitespaceBeforeColon:
            return "Malformed header line: whitespace between field name and colon"
        case .invalidHeaderName:
            return "Invalid header name: field names must be tokens"
        case .invalidHeaderValue:
            return "Invalid header value: contains NUL, CR or another control character"
        case .obsoleteLineFolding:
            return "Obsolete line folding is not accepted: a header line starts with whitespace"
        case .bareLineFeed:
            return "Bare LF line ending: lines must end with CRLF"
        case .bareCarriageReturn:
            return "Bare CR: a carriage return not followed by a line feed"
        case .missingHost:
            return "HTTP/1.1 request without a Host header"
        case .multipleHost:
            return "More than one Host header"
        case .invalidContentLength:
            return "Invalid Content-Length: must be decimal digits only"
        case .conflictingContentLength:
            return "Conflicting Content-Length values"
        case .contentLengthOverflow:
            return "Invalid Content-Length: value does not fit in 63 bits"
        case .contentLengthTooLarge:
            return "Payload Too Large: Content-Length exceeds the server's body size limit"
        case .contentLengthWithTransferEncoding:
            return "Transfer-Encoding and Content-Length are mutually exclusive"
        case .chunkedNotFinalCoding:
            return "chunked must be the final Transfer-Encoding"
        case .transferEncodingInHTTP10:
            return "Transfer-Encoding is not allowed in an HTTP/1.0 request"
        case .invalidTransferEncoding:
            return "Invalid Transfer-Encoding: empty or malformed coding list"
        case .unsupportedTransferEncoding:
            return "Unsupported Transfer-Encoding: only chunked is implemented"
        case .invalidChunkSize:
            return "Invalid chunk size: expected hexadecimal digits followed by CRLF"
        case .chunkSizeOverflow:
            return "Invalid chunk size: value does not fit in 63 bits"
        case .invalidChunkExtension:
            return "Invalid chunk extension: contains a control character"
        case .chunkExtensionTooLong:
            return "Chunk extension exceeds the server's length limit"
        case .missingChunkDataTerminator:
            return "Missing CRLF after chunk data"
        case .bodyTooLarge:
            return "Payload Too Large: chunked body exceeds the server's body size limit"
        }
    }

    /// The status and reason together, plus what the peer has to change.
    public var description: String {
        "HTTP/1 request rejected with \(self.status): \(self.reason). The client must send a well-formed request "
            + "within the server's limits (HTTP1Limits); the connection is closed after the error response."
    }

    /// The request line does not have the shape `method SP target SP version` (missing or doubled spaces).
    public static let malformedRequestLine = HTTP1ParseError(.malformedRequestLine)
    /// The method is empty or contains a byte that is not a token character.
    public static let invalidMethod = HTTP1ParseError(.invalidMethod)
    /// The request target contains a non-visible byte, or has a form the method does not allow.
    public static let invalidTarget = HTTP1ParseError(.invalidTarget)
    /// The version is not exactly `HTTP/<digit>.<digit>` (lower case, missing, extra characters).
    public static let malformedVersion = HTTP1ParseError(.malformedVersion)
    /// A well-formed version other than HTTP/1.0 and HTTP/1.1 (505).
    public static let unsupportedVersion = HTTP1ParseError(.unsupportedVersion)
    /// The request line exceeds ``HTTP1Limits/maxRequestLineLength`` (414).
    public static let requestLineTooLong = HTTP1ParseError(.requestLineTooLong)
    /// The header or trailer section exceeds ``HTTP1Limits/maxHeaderSectionSize`` (431).
    public static let headerSectionTooLarge = HTTP1ParseError(.headerSectionTooLarge)
    /// The header or trailer section has more than ``HTTP1Limits/maxHeaderCount`` fields (431).
    public static let tooManyHeaders = HTTP1ParseError(.tooManyHeaders)
    /// A header line without a colon.
    public static let malformedHeaderLine = HTTP1ParseError(.malformedHeaderLine)
    /// A header line starting with a colon.
    public static let emptyHeaderName = HTTP1ParseError(.emptyHeaderName)
    /// Whitespace between a field name and its colon (RFC 9112 §5.1; a smuggling vector).
    public static let whitespaceBeforeColon = HTTP1ParseError(.whitespaceBeforeColon)
    /// A field name byte that is not a token character.
    public static let invalidHeaderName = HTTP1ParseError(.invalidHeaderName)
    /// A field value containing NUL, a control character other than HTAB, or DEL.
    public static let invalidHeaderValue = HTTP1ParseError(.invalidHeaderValue)
    /// A header line starting with space or tab (obs-fold, RFC 9112 §5.2).
    public static let obsoleteLineFolding = HTTP1ParseError(.obsoleteLineFolding)
    /// A line ended by LF alone while bare LF is not allowed.
    public static let bareLineFeed = HTTP1ParseError(.bareLineFeed)
    /// A CR not followed by LF.
    public static let bareCarriageReturn = HTTP1ParseError(.bareCarriageReturn)
    /// An HTTP/1.1 request without `Host` (RFC 9112 §3.2).
    public static let missingHost = HTTP1ParseError(.missingHost)
    /// More than one `Host` field (RFC 9112 §3.2).
    public static let multipleHost = HTTP1ParseError(.multipleHost)
    /// A `Content-Length` that is not a non-empty run of decimal digits (signs, spaces, letters).
    public static let invalidContentLength = HTTP1ParseError(.invalidContentLength)
    /// Several `Content-Length` values (fields or list members) that differ.
    public static let conflictingContentLength = HTTP1ParseError(.conflictingContentLength)
    /// A `Content-Length` too large to represent.
    public static let contentLengthOverflow = HTTP1ParseError(.contentLengthOverflow)
    /// A `Content-Length` above ``HTTP1Limits/maxBodySize`` (413).
    public static let contentLengthTooLarge = HTTP1ParseError(.contentLengthTooLarge)
    /// Both `Content-Length` and `Transfer-Encoding` (RFC 9112 §6.1; the classic smuggling vector).
    public static let contentLengthWithTransferEncoding = HTTP1ParseError(.contentLengthWithTransferEncoding)
    /// A `Transfer-Encoding` list where `chunked` is present but not last (or present twice).
    public static let chunkedNotFinalCoding = HTTP1ParseError(.chunkedNotFinalCoding)
    /// `Transfer-Encoding` in an HTTP/1.0 request, whose framing would be ambiguous (RFC 9112 §6.1).
    public static let transferEncodingInHTTP10 = HTTP1ParseError(.transferEncodingInHTTP10)
    /// An empty `Transfer-Encoding` or an empty or non-token member of its list.
    public static let invalidTransferEncoding = HTTP1ParseError(.invalidTransferEncoding)
    /// A transfer coding other than `chunked` (501).
    public static let unsupportedTransferEncoding = HTTP1ParseError(.unsupportedTransferEncoding)
    /// A chunk size that is missing or not hexadecimal, or a malformed chunk-size line.
    public static let invalidChunkSize = HTTP1ParseError(.invalidChunkSize)
    /// A chunk size too large to represent.
    public static let chunkSizeOverflow = HTTP1ParseError(.chunkSizeOverflow)
    /// A control character inside a chunk extension.
    public static let invalidChunkExtension = HTTP1ParseError(.invalidChunkExtension)
    /// A chunk extension longer than ``HTTP1Limits/maxChunkExtensionLength``.
    public static let chunkExtensionTooLong = HTTP1ParseError(.chunkExtensionTooLong)
    /// Chunk data not followed by CRLF.
    public static let missingChunkDataTerminator = HTTP1ParseError(.missingChunkDataTerminator)
    /// A chunked body whose total exceeds ``HTTP1Limits/maxBodySize`` (413).
    public static let bodyTooLarge = HTTP1ParseError(.bodyTooLarge)
}
