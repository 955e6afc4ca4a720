/// Appends escaped text and numbers to a line buffer without allocating.
///
/// Escaping follows Apache's `ap_escape_logitem` so a client cannot forge log lines: `"` becomes
/// `\"`, `\` becomes `\\`, and every byte that is not printable ASCII (controls, DEL and bytes
/// from 0x80 up) becomes `\xhh`. Bytes ≥ 0x80 are escaped too, as Apache does, so the log is
/// plain ASCII and a C1 control cannot reach a terminal; see the package README.
enum AccessLogByteWriter {
    private static let hexDigits: StaticString = "0123456789abcdef"

    /// Whether `byte` must be escaped in a log line.
    @inline(__always)
    static func needsEscaping(_ byte: UInt8) -> Bool {
        // One compare covers 0x00–0x1F and 0x7F–0xFF: shift so that the printable range starts at 0.
        (byte &- 0x20) >= 0x5F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Appends `string` escaped.
    static func appendEscaped(_ string: String, to buffer: inout [UInt8]) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
            Self.appendEscaped(UnsafeRawBufferPointer(bytes), to: &buffer)
        }
        if done == nil {
            for byte in string.utf8 {
                Self.appendEscaped(byte, to: &buffer)
            }
        }
    }

    /// Appends `bytes` escaped, copying clean runs in one go.
    static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        var runStart = 0
        for index in 0..<bytes.count where Self.needsEscaping(bytes[index]) {
            Self.appendRaw(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]), to: &buffer)
            Self.appendEscaped(bytes[index], to: &buffer)
            runStart = index + 1
        }
        Self.appendRaw(UnsafeRawBufferPointer(rebasing: bytes[runStart..<bytes.count]), to: &buffer)
    }

    private static func appendEscaped(_ byte: UInt8, to buffer: inout [UInt8]) {
        guard Self.needsEscaping(byte) else {
            buffer.append(byte)
            return
        }
        buffer.append(UInt8(ascii: "\\"))
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            buffer.append(byte)
        } else {
            buffer.append(UInt8(ascii: "x"))
            Self.hexDigits.withUTF8Buffer { digits in
                buffer.append(digits[Int(byte >> 4)])
                buffer.append(digits[Int(byte & 0x0F)])
            }
        }
    }

    /// Appends `bytes` unchanged (memcpy when the buffer has room).
    static func appendRaw(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        buffer.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    /// Appends a static ASCII string unchanged.
    static func appendStatic(_ text: StaticString, to buffer: inout [UInt8]) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    /// Appends `value` in decimal, with a `-` sign when negative.
    static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
        }
        Self.appendDecimal(value.magnitude, to: &buffer)
    }

    /// Appends `value` in decimal.
    static func appendDecimal(_ value: UInt, to buffer: inout [UInt8]) {
        var digits = 1
        var limit: UInt = 10
        while digits < 20, value >= limit {
            digits += 1
            // Cannot overflow: the loop stops at 20 digits, which is UInt.max's length.
            limit = limit.multipliedReportingOverflow(by: 10).partialValue
        }
        Self.appendPadded(value, width: digits, to: &buffer)
    }

    /// Appends the last `width` decimal digits of `value`, zero-padded on the left.
    static func appendPadded(_ value: UInt, width: Int, to buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        buffer.withUnsafeMutableBufferPointer { bytes in
            var remaining = value
            var index = start + width - 1
            while index >= start {
                bytes[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
                index -= 1
            }
        }
    }
}
