/// Writes the chunked transfer coding (RFC 9112 §7.1) of a response body.
public enum HTTP1ChunkedEncoder {
    /// Writes a chunk header, `<hex length>\r\n`; follow it with exactly `length` bytes and
    /// ``writeChunkFooter(into:)``. Use this pair to send a body buffer without copying it.
    /// - Parameters:
    ///   - length: The chunk's data length; must be positive (a zero-length chunk ends the body).
    ///   - sink: Where to write.
    public static func writeChunkHeader<Sink: HTTP1ByteSink>(length: Int, into sink: inout Sink) {
        precondition(length > 0, "a zero-length chunk would end the body; skip empty writes instead")
        // 16 hex digits + CRLF fit in 24 bytes on the stack; no heap buffer per chunk.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let count = withUnsafeMutableBytes(of: &digits) { buffer -> Int in
            var value = UInt64(length)
            var index = 16
            repeat {
                index -= 1
                let nibble = UInt8(truncatingIfNeeded: value & 0xF)
                buffer[index] = nibble < 10 ? nibble &+ 0x30 : nibble &+ 0x57
                value >>= 4
            } while value != 0
            buffer[16] = HTTP1Bytes.cr
            buffer[17] = HTTP1Bytes.lf
            return index
        }
        withUnsafeBytes(of: &digits) { buffer in
            sink.pagiWriteBytes(UnsafeRawBufferPointer(rebasing: buffer[count..<18]))
        }
    }

    /// Writes the `\r\n` that ends a chunk's data.
    /// - Parameter sink: Where to write.
    public static func writeChunkFooter<Sink: HTTP1ByteSink>(into sink: inout Sink) {
        sink.pagiWriteStaticString("\r\n")
    }

    /// Writes `bytes` as one chunk; writes nothing for an empty buffer.
    /// - Parameters:
    ///   - bytes: The chunk data.
    ///   - sink: Where to write.
    public static func writeChunk<Sink: HTTP1ByteSink>(_ bytes: UnsafeRawBufferPointer, into sink: inout Sink) {
        guard bytes.count > 0 else {
            return
        }
        sink.pagiReserveCapacity(bytes.count + 20)
        Self.writeChunkHeader(length: bytes.count, into: &sink)
        sink.pagiWriteBytes(bytes)
        Self.writeChunkFooter(into: &sink)
    }

    /// Writes the last chunk without trailers: `0\r\n\r\n`.
    /// - Parameter sink: Where to write.
    public static func writeLastChunk<Sink: HTTP1ByteSink>(into sink: inout Sink) {
        sink.pagiWriteStaticString("0\r\n\r\n")
    }

    /// Writes the last chunk followed by trailer fields: `0\r\n`, `name: value\r\n`…, `\r\n`.
    ///
    /// Every field is validated before anything is written, so a refusal leaves `sink` untouched.
    /// - Parameters:
    ///   - trailers: The trailer fields, in order.
    ///   - sink: Where to write.
    /// - Throws: ``HTTP1SerializationError`` if a name or value contains CR, LF, NUL (or, for names,
    ///   any control character).
    public static func writeLastChunk<Sink: HTTP1ByteSink, Fields: Collection, Name: Collection<UInt8>, Value: Collection<UInt8>>(
        trailers: Fields,
        into sink: inout Sink
    ) throws(HTTP1SerializationError) where Fields.Element == (name: Name, value: Value) {
        _ = try HTTP1FieldValidator.validate(trailers)
        sink.pagiWriteStaticString("0\r\n")
        for field in trailers {
            HTTP1FieldValidator.writeField(name: field.name, value: field.value, into: &sink)
        }
        sink.pagiWriteStaticString("\r\n")
    }
}
