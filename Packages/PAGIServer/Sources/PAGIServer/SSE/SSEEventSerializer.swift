import PAGI
import PAGIHTTP1

/// Writes `sse.send`, `sse.comment` and `sse.keepalive` payloads in the `text/event-stream` wire
/// format (protocol §8.5, §8.6; HTML Living Standard "Server-sent events").
///
/// The output is the event text only; HTTP/1.1 chunk framing is the connection handler's job.
/// Text is copied straight from each `String`'s UTF-8 storage into the sink, line by line, so a
/// native string costs no intermediate array.
///
/// Decisions (see the package README):
/// - `data == ""` writes one `data: ` line, not the reference's bare blank line (⚠ protocol §8.5):
///   a browser only dispatches an event whose data buffer was touched, so an event without any
///   `data:` line would be silently dropped on the client.
/// - `event` and `id` are written whenever they are non-nil, even when empty ("if given",
///   protocol §8.5). An empty `id:` line is meaningful: it resets the client's Last-Event-ID.
enum SSEEventSerializer {
    private static let dataPrefix: StaticString = "data: "
    private static let eventPrefix: StaticString = "event: "
    private static let idPrefix: StaticString = "id: "
    private static let retryPrefix: StaticString = "retry: "
    private static let commentPrefix: StaticString = ":"
    private static let newline: StaticString = "\n"

    /// Writes one event dispatch: `event:`, one `data:` per line of `data`, `id:`, `retry:`, blank line.
    /// - Throws: ``SSEEventError`` when `event` or `id` contains a line break (or `id` a NUL), or
    ///   `retry` is negative. Nothing is written then.
    static func writeEvent<Sink: HTTP1ByteSink>(_ message: PAGISSEMessage, into sink: inout Sink) throws(SSEEventError) {
        try Self.validate(message)
        sink.pagiReserveCapacity(Self.estimatedSize(of: message))
        if let event = message.event {
            Self.writeField(Self.eventPrefix, event, into: &sink)
        }
        Self.forEachLine(of: message.data) { line in
            sink.pagiWriteStatic(Self.dataPrefix)
            sink.pagiWriteBytes(line)
            sink.pagiWriteStatic(Self.newline)
        }
        if let id = message.id {
            Self.writeField(Self.idPrefix, id, into: &sink)
        }
        if let retry = message.retry {
            Self.writeField(Self.retryPrefix, String(retry), into: &sink)
        }
        sink.pagiWriteStatic(Self.newline)
    }

    /// Writes a comment block: every line starts with `:` (added when the line does not already
    /// start with one), then a blank line. An empty comment is `:\n\n`, the usual keepalive.
    static func writeComment<Sink: HTTP1ByteSink>(_ comment: String, into sink: inout Sink) {
        sink.pagiReserveCapacity(comment.utf8.count + 4)
        Self.forEachLine(of: comment) { line in
            if line.first != UInt8(ascii: ":") {
                sink.pagiWriteStatic(Self.commentPrefix)
            }
            sink.pagiWriteBytes(line)
            sink.pagiWriteStatic(Self.newline)
        }
        sink.pagiWriteStatic(Self.newline)
    }

    /// Checks the fields a client would otherwise misparse; `data` needs no check because its
    /// line breaks become separate `data:` lines.
    static func validate(_ message: PAGISSEMessage) throws(SSEEventError) {
        if let event = message.event, let byte = Self.firstForbiddenByte(in: event, forbidNUL: false) {
            throw SSEEventError(field: .event, problem: .forbiddenByte(byte))
        }
        if let id = message.id, let byte = Self.firstForbiddenByte(in: id, forbidNUL: true) {
            throw SSEEventError(field: .id, problem: .forbiddenByte(byte))
        }
        if let retry = message.retry, retry < 0 {
            throw SSEEventError(field: .retry, problem: .negative(retry))
        }
    }

    private static func firstForbiddenByte(in text: String, forbidNUL: Bool) -> UInt8? {
        text.utf8.first { byte in
            byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || (forbidNUL && byte == 0)
        }
    }

    private static func estimatedSize(of message: PAGISSEMessage) -> Int {
        // One `data: ` per line is unknown until the scan; 8 lines' worth covers most events.
        var size = message.data.utf8.count + 8 * 7 + 1
        if let event = message.event { size += event.utf8.count + 8 }
        if let id = message.id { size += id.utf8.count + 5 }
        if message.retry != nil { size += 28 }
        return size
    }

    /// The exact number of bytes ``writeEvent(_:into:)`` writes for a valid `message`, so an
    /// HTTP/1.1 chunk header can be written first and the event straight after it, with no
    /// scratch buffer.
    static func encodedSize(of message: PAGISSEMessage) -> Int {
        var size = 1
        if let event = message.event { size += 7 + event.utf8.count + 1 }
        Self.forEachLine(of: message.data) { line in size += 6 + line.count + 1 }
        if let id = message.id { size += 4 + id.utf8.count + 1 }
        if let retry = message.retry { size += 7 + Self.decimalDigits(retry) + 1 }
        return size
    }

    /// The exact number of bytes ``writeComment(_:into:)`` writes for `comment`.
    static func encodedSize(ofComment comment: String) -> Int {
        var size = 1
        Self.forEachLine(of: comment) { line in
            size += (line.first == UInt8(ascii: ":") ? 0 : 1) + line.count + 1
        }
        return size
    }

    private static func decimalDigits(_ value: Int) -> Int {
        var digits = value < 0 ? 2 : 1
        var rest = value / 10
        while rest != 0 {
            digits += 1
            rest /= 10
        }
        return digits
    }

    private static func writeField<Sink: HTTP1ByteSink>(_ prefix: StaticString, _ value: String, into sink: inout Sink) {
        sink.pagiWriteStatic(prefix)
        Self.withUTF8(value) { sink.pagiWriteBytes($0) }
        sink.pagiWriteStatic(Self.newline)
    }

    /// Calls `body` once per line of `text`, splitting on `\r\n`, `\n` and `\r`. Always at least
    /// once: `""` is one empty line and a trailing break yields a final empty line.
    static func forEachLine(of text: String, _ body: (UnsafeRawBufferPointer) -> Void) {
        Self.withUTF8(text) { bytes in
            var lineStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    body(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<index]))
                    if byte == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {
                        index += 1
                    }
                    lineStart = index + 1
                }
                index += 1
            }
            body(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<bytes.count]))
        }
    }

    private static func withUTF8<Result>(_ text: String, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        // Native Swift strings are contiguous; the copy only happens for bridged ones.
        if let result = text.utf8.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(text.utf8).withUnsafeBytes(body)
    }
}

extension HTTP1ByteSink {
    fileprivate mutating func pagiWriteStatic(_ text: StaticString) {
        self.pagiWriteBytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
