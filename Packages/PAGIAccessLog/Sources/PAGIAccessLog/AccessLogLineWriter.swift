/// Writes one log line straight into a caller's `[UInt8]` through a raw pointer.
///
/// Appending byte by byte to an `Array` costs a uniqueness and capacity check per call, and its
/// generic `append(contentsOf:)` was the top of the render profile (callgrind, combined preset).
/// So a render extends the array once by its spare room, writes through a pointer with one bounds
/// check per piece, and trims what it did not use. If a line does not fit (a huge header), the
/// partial line is discarded and the render runs again with twice the room: rendering is pure, so
/// retrying is safe, and after warm-up the buffer's capacity fits every line in one pass.
///
/// Escaping follows Apache's `ap_escape_logitem` so a client cannot forge log lines: `"` becomes
/// `\"`, `\` becomes `\\`, and every byte that is not printable ASCII (controls, DEL and bytes
/// from 0x80 up) becomes `\xhh`. Bytes ≥ 0x80 are escaped too, as Apache does, so the log is
/// plain ASCII and a C1 control cannot reach a terminal; see the package README.
struct AccessLogLineWriter {
    private let base: UnsafeMutablePointer<UInt8>?
    private let capacity: Int
    /// Bytes written so far.
    private(set) var count = 0
    /// Set when a write did not fit; the line must be rendered again with more room.
    private(set) var overflowed = false

    /// The room a render starts with when the buffer has less spare capacity.
    static let minimumRoom = 256
    /// The most spare capacity one render zero-fills before writing; longer lines retry.
    static let maximumInitialRoom = 4_096

    init(_ memory: UnsafeMutableBufferPointer<UInt8>) {
        self.base = memory.baseAddress
        self.capacity = memory.baseAddress == nil ? 0 : memory.count
    }

    /// Appends what `body` writes to `buffer`, retrying with more room until it fits.
    /// - Parameters:
    ///   - buffer: The caller's line buffer; existing contents are kept.
    ///   - body: Writes the line; it may run more than once, so it must not have side effects.
    static func append(to buffer: inout [UInt8], _ body: (inout AccessLogLineWriter) -> Void) {
        let start = buffer.count
        var room = min(max(buffer.capacity - start, Self.minimumRoom), Self.maximumInitialRoom)
        while true {
            buffer.append(contentsOf: repeatElement(0, count: room))
            let written: Int? = buffer.withUnsafeMutableBufferPointer { all in
                var writer = AccessLogLineWriter(UnsafeMutableBufferPointer(rebasing: all[start...]))
                body(&writer)
                return writer.overflowed ? nil : writer.count
            }
            if let written {
                buffer.removeLast(room - written)
                return
            }
            buffer.removeLast(room)
            room *= 2
        }
    }

    /// Whether `byte` must be escaped in a log line.
    @inline(__always)
    static func needsEscaping(_ byte: UInt8) -> Bool {
        // One compare covers 0x00–0x1F and 0x7F–0xFF: shift so the printable range starts at 0.
        (byte &- 0x20) >= 0x5F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Appends one byte unchanged.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard let base = self.base, self.count < self.capacity else {
            self.overflowed = true
            return
        }
        base[self.count] = byte
        self.count += 1
    }

    /// Appends `bytes` unchanged.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        guard let base = self.base, bytes.count <= self.capacity - self.count else {
            self.overflowed = true
            return
        }
        let target = base + self.count
        if bytes.count <= 16 {
            // Literals between atoms are a few bytes; a loop beats a call into memcpy here.
            for index in 0..<bytes.count {
                target[index] = source.load(fromByteOffset: index, as: UInt8.self)
            }
        } else {
            target.update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        }
        self.count += bytes.count
    }

    /// Appends a static ASCII string unchanged.
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { self.append(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `string` escaped.
    mutating func appendEscaped(_ string: String) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
            self.appendEscaped(UnsafeRawBufferPointer(bytes))
        }
        if done == nil {
            for byte in string.utf8 {
                self.appendEscaped(byte)
            }
        }
    }

    /// Appends `bytes` escaped.
    mutating func appendEscaped(_ bytes: UnsafeRawBufferPointer) {
        // Fast path: with room for the worst case (every byte as \xhh) no write needs a check.
        guard let base = self.base, bytes.count <= (self.capacity - self.count) / 4 else {
            for byte in bytes {
                self.appendEscaped(byte)
            }
            return
        }
        guard let source = bytes.baseAddress else { return }
        var count = self.count
        var index = 0
        // Eight bytes at a time: most header values and paths need no escaping, and one SWAR test
        // per word replaced a per-byte branch that was a quarter of the combined line's
        // instructions (callgrind).
        while index + 8 <= bytes.count {
            let word = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if !Self.mayNeedEscaping(word) {
                UnsafeMutableRawPointer(base + count).storeBytes(of: word, as: UInt64.self)
                count += 8
                index += 8
                continue
            }
            for offset in index..<index + 8 {
                count = Self.writeMaybeEscaped(bytes[offset], to: base, at: count)
            }
            index += 8
        }
        while index < bytes.count {
            count = Self.writeMaybeEscaped(bytes[index], to: base, at: count)
            index += 1
        }
        self.count = count
    }

    /// Whether any byte of `word` may need escaping. False positives (a borrow across bytes) only
    /// send the word down the exact per-byte path; there are no false negatives.
    @inline(__always)
    private static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highBits
        let nonASCII = word & highBits
        let delete = Self.hasZeroByte(word ^ (ones &* 0x7F))
        let quote = Self.hasZeroByte(word ^ (ones &* 0x22))
        let backslash = Self.hasZeroByte(word ^ (ones &* 0x5C))
        return (control | nonASCII | delete | quote | backslash) != 0
    }

    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    @inline(__always)
    private static func writeMaybeEscaped(_ byte: UInt8, to base: UnsafeMutablePointer<UInt8>, at index: Int) -> Int {
        guard Self.needsEscaping(byte) else {
            base[index] = byte
            return index + 1
        }
        return Self.writeEscape(byte, to: base, at: index)
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        guard Self.needsEscaping(byte) else {
            self.append(byte)
            return
        }
        guard let base = self.base, self.capacity - self.count >= 4 else {
            self.overflowed = true
            return
        }
        self.count = Self.writeEscape(byte, to: base, at: self.count)
    }

    /// Writes the escape of `byte` at `index`, returning the index after it. The caller ensured
    /// four bytes of room.
    private static func writeEscape(_ byte: UInt8, to base: UnsafeMutablePointer<UInt8>, at index: Int) -> Int {
        base[index] = UInt8(ascii: "\\")
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            base[index + 1] = byte
            return index + 2
        }
        base[index + 1] = UInt8(ascii: "x")
        base[index + 2] = Self.hexDigit(byte >> 4)
        base[index + 3] = Self.hexDigit(byte & 0x0F)
        return index + 4
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
    }

    /// Appends `value` in decimal, with a `-` sign when negative.
    mutating func appendDecimal(_ value: Int) {
        if value < 0 {
            self.append(UInt8(ascii: "-"))
        }
        self.appendDecimal(value.magnitude)
    }

    /// Appends `value` in decimal.
    mutating func appendDecimal(_ value: UInt) {
        var digits = 1
        var power: UInt = 10
        // Comparisons instead of divisions; 10^19 still fits, and 20 digits is UInt.max's length.
        while digits < 20, value >= power {
            digits += 1
            power = power &* 10
        }
        self.appendPadded(value, width: digits)
    }

    /// Appends the last `width` decimal digits of `value`, zero-padded on the left.
    mutating func appendPadded(_ value: UInt, width: Int) {
        guard let base = self.base, width <= self.capacity - self.count else {
            self.overflowed = true
            return
        }
        var remaining = value
        var index = self.count + width - 1
        while index >= self.count {
            base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
        }
        self.count += width
    }
}
