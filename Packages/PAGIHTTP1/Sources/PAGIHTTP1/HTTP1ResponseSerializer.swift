/// Writes response heads and server-generated responses for one connection (RFC 9112 §4–§6).
///
/// The head is written in this order: status line (echoing the request's version), the
/// application's fields in order and byte-exact, then `date` unless the application sent one,
/// `server` unless the application sent one (and a server name is configured), `connection` when
/// the framing needs it, and `transfer-encoding: chunked` for chunked bodies.
///
/// Deliberate differences from the reference server (PAGI SPEC wins over REF ⚠):
/// - An application `transfer-encoding` field is dropped: framing is the server's job.
/// - `date` is added only when absent, never duplicated.
/// - `content-length` is dropped from 1xx and 204 responses, and 204/304/HEAD never get a body or
///   `transfer-encoding`.
/// - HTTP/1.0 responses without `content-length` are close-delimited *and* the connection is closed.
/// - Unregistered status codes get an empty reason phrase rather than `Unknown`.
///
/// Every field is validated before the first byte is written: a name or value that could inject a
/// line (CR, LF, NUL, or any control character in a name) throws ``HTTP1SerializationError`` and
/// leaves the sink untouched, so the server can still answer 500.
public struct HTTP1ResponseSerializer: Sendable {
    /// The `server` field value written when the application sends none; `nil` writes no `server` field.
    public var serverName: [UInt8]?
    /// The per-second `date` cache.
    public var dateCache = HTTP1DateCache()

    /// Creates a serializer.
    /// - Parameter serverName: The `server` field value, or `nil` for none.
    public init(serverName: String? = "PAGI-Swift") {
        self.serverName = serverName.map { Array($0.utf8) }
        if let name = self.serverName {
            precondition(!name.contains { $0 < 0x20 || $0 == 0x7F }, "serverName must not contain control characters")
        }
    }

    /// Validates and writes a response head, and returns how the body must be framed.
    ///
    /// - Parameters:
    ///   - status: The status code, 100…999.
    ///   - fields: The application's fields in order; names are written byte-exact.
    ///   - context: The request facts (version, HEAD, keep-alive).
    ///   - epochSecond: The current time for the `date` field; defaults to now.
    ///   - sink: Where to write.
    /// - Returns: The body framing and whether the connection stays open.
    /// - Throws: ``HTTP1SerializationError`` — nothing has been written.
    // Inlinable so the server's call is specialised for its field collection and `ByteBuffer`:
    // the unspecialised generic path was 31% of the server's CPU on the hello benchmark.
    @inlinable
    @discardableResult
    public mutating func writeHead<Sink: HTTP1ByteSink, Fields: Collection, Name: Collection<UInt8>, Value: Collection<UInt8>>(
        status: Int,
        fields: Fields,
        context: HTTP1ResponseContext,
        epochSecond: Int = HTTP1DateCache.currentEpochSecond(),
        into sink: inout Sink
    ) throws(HTTP1SerializationError) -> HTTP1ResponseFraming where Fields.Element == (name: Name, value: Value) {
        guard (100...999).contains(status) else {
            throw .invalidStatus
        }
        let summary = try HTTP1FieldValidator.validate(fields)
        let framing = HTTP1ResponseFraming(status: status, context: context, hasContentLength: summary.hasContentLength)
        sink.pagiReserveCapacity(128 + fields.count * 32)
        Self.writeStatusLine(version: context.version, status: status, into: &sink)
        for field in fields {
            switch HTTP1FieldValidator.classify(field.name) {
            case .transferEncoding:
                continue
            case .contentLength where framing.dropsContentLength:
                continue
            case .contentLength, .date, .server, .other:
                HTTP1FieldValidator.writeField(name: field.name, value: field.value, into: &sink)
            }
        }
        if !summary.hasDate {
            sink.pagiWriteStaticString("date: ")
            self.dateCache.write(epochSecond: epochSecond, into: &sink)
            sink.pagiWriteStaticString("\r\n")
        }
        if !summary.hasServer, let serverName = self.serverName {
            sink.pagiWriteStaticString("server: ")
            serverName.withUnsafeBytes { sink.pagiWriteBytes($0) }
            sink.pagiWriteStaticString("\r\n")
        }
        if context.version == .http1_0 {
            if framing.keepAlive {
                sink.pagiWriteStaticString("connection: keep-alive\r\n")
            } else {
                sink.pagiWriteStaticString("connection: close\r\n")
            }
        } else if !framing.keepAlive {
            sink.pagiWriteStaticString("connection: close\r\n")
        }
        if framing.body == .chunked {
            sink.pagiWriteStaticString("transfer-encoding: chunked\r\n")
        }
        sink.pagiWriteStaticString("\r\n")
        return framing
    }

    /// Writes `HTTP/1.1 100 Continue\r\n\r\n`, the interim answer to `Expect: 100-continue`.
    /// - Parameter sink: Where to write.
    public static func writeContinue<Sink: HTTP1ByteSink>(into sink: inout Sink) {
        sink.pagiWriteStaticString("HTTP/1.1 100 Continue\r\n\r\n")
    }

    /// Writes a complete server-generated `text/plain` response (server-behaviour §5.5), always
    /// `HTTP/1.1` and always with `connection: close` because the server closes after it.
    /// - Parameters:
    ///   - status: The status code, 100…999.
    ///   - message: The body text.
    ///   - epochSecond: The current time for the `date` field; defaults to now.
    ///   - sink: Where to write.
    public mutating func writeErrorResponse<Sink: HTTP1ByteSink>(
        status: Int,
        message: String,
        epochSecond: Int = HTTP1DateCache.currentEpochSecond(),
        into sink: inout Sink
    ) {
        precondition((100...999).contains(status), "status \(status) cannot be written as three digits")
        var body = message
        body.withUTF8 { bodyBytes in
            sink.pagiReserveCapacity(160 + bodyBytes.count)
            Self.writeStatusLine(version: .http1_1, status: status, into: &sink)
            sink.pagiWriteStaticString("content-type: text/plain\r\ncontent-length: ")
            Self.writeDecimal(bodyBytes.count, into: &sink)
            sink.pagiWriteStaticString("\r\ndate: ")
            self.dateCache.write(epochSecond: epochSecond, into: &sink)
            sink.pagiWriteStaticString("\r\n")
            if let serverName = self.serverName {
                sink.pagiWriteStaticString("server: ")
                serverName.withUnsafeBytes { sink.pagiWriteBytes($0) }
                sink.pagiWriteStaticString("\r\n")
            }
            sink.pagiWriteStaticString("connection: close\r\n\r\n")
            sink.pagiWriteBytes(UnsafeRawBufferPointer(bodyBytes))
        }
    }

    /// Writes the error response for a parse error: its status and its reason as the body.
    /// - Parameters:
    ///   - error: The parser's error.
    ///   - epochSecond: The current time for the `date` field; defaults to now.
    ///   - sink: Where to write.
    public mutating func writeErrorResponse<Sink: HTTP1ByteSink>(
        for error: HTTP1ParseError,
        epochSecond: Int = HTTP1DateCache.currentEpochSecond(),
        into sink: inout Sink
    ) {
        self.writeErrorResponse(status: error.status, message: error.reason, epochSecond: epochSecond, into: &sink)
    }

    /// Writes `HTTP/1.x NNN Reason\r\n`.
    @inlinable
    static func writeStatusLine<Sink: HTTP1ByteSink>(version: HTTP1Version, status: Int, into sink: inout Sink) {
        // "HTTP/1.x NNN " assembled on the stack and written in one call.
        var bytes: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &bytes) { buffer in
            let prefix: StaticString = "HTTP/1.1 "
            for index in 0..<9 {
                buffer[index] = prefix.utf8Start[index]
            }
            buffer[5] = version.major &+ 0x30
            buffer[7] = version.minor &+ 0x30
            buffer[9] = UInt8(truncatingIfNeeded: status / 100) &+ 0x30
            buffer[10] = UInt8(truncatingIfNeeded: status / 10 % 10) &+ 0x30
            buffer[11] = UInt8(truncatingIfNeeded: status % 10) &+ 0x30
            buffer[12] = HTTP1Bytes.space
            sink.pagiWriteBytes(UnsafeRawBufferPointer(rebasing: buffer[0..<13]))
        }
        sink.pagiWriteStaticString(HTTP1StatusReason.phrase(for: status))
        sink.pagiWriteStaticString("\r\n")
    }

    /// Writes a non-negative integer in decimal.
    static func writeDecimal<Sink: HTTP1ByteSink>(_ value: Int, into sink: inout Sink) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var remaining = value
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(truncatingIfNeeded: remaining % 10) &+ 0x30
                remaining /= 10
            } while remaining > 0
            sink.pagiWriteBytes(UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
    }
}
