import NIOCore

/// Writes JSON string literals (RFC 8259 §7), quotes included.
///
/// `"` and `\` are escaped, control characters U+0000…U+001F become `\b \f \n \r \t` or
/// `\u00XX`; everything else is written as UTF-8 unchanged. Bytes that are not valid UTF-8 are
/// written one character per byte (the byte's value as a code point, U+0000…U+00FF), so the
/// output is always valid JSON and no byte is lost or merged.
enum JSONStringEscaper {
    /// Writes text that is already valid UTF-8.
    static func write(utf8: some Sequence<UInt8>, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        for byte in utf8 {
            self.writeEscaped(byte, to: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes arbitrary bytes: as UTF-8 when they are valid UTF-8, otherwise one character per byte.
    static func write<Bytes: Collection<UInt8>>(bytes: Bytes, to buffer: inout ByteBuffer) {
        if Self.isValidUTF8(bytes) {
            self.write(utf8: bytes, to: &buffer)
            return
        }
        buffer.writeInteger(UInt8(ascii: "\""))
        for byte in bytes {
            if byte < 0x80 {
                self.writeEscaped(byte, to: &buffer)
            } else {
                // U+0080…U+00FF in UTF-8: two bytes, 110000xx 10xxxxxx.
                buffer.writeInteger(0xC0 | (byte >> 6))
                buffer.writeInteger(0x80 | (byte & 0x3F))
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static func isValidUTF8<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        // ASCII, by far the common case, needs no decoder.
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    private static func writeEscaped(_ byte: UInt8, to buffer: inout ByteBuffer) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        case 0x0A: buffer.writeStaticString("\\n")
        case 0x0D: buffer.writeStaticString("\\r")
        case 0x09: buffer.writeStaticString("\\t")
        case 0x00..<0x20:
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(Self.hexDigit(byte >> 4))
            buffer.writeInteger(Self.hexDigit(byte & 0x0F))
        default:
            buffer.writeInteger(byte)
        }
    }

    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
