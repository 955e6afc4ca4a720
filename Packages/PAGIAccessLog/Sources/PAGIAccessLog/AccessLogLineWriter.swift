/// Writes one log line straight into a caller's `[UInt8]` through a raw pointer.
///
/// Appending byte by byte to an `Array` costs a uniqueness and capacity check per call, and its
/// generic `append(contentsOf:)` was the top of the render profile (callgrind, combined preset).
/// So a render asks the array for its spare room as uninitialised memory
/// (`append(addingCapacity:initializingWith:)`; on older Apple systems the room is zero-filled and
/// trimmed instead), writes through a pointer with one bounds check per piece, and keeps only
/// what it wrote. If a line does not fit (a huge header), the partial line is discarded and the
/// render runs again with twice the room: rendering is pure, so retrying is safe, and after
/// warm-up the buffer's capacity fits every line in one pass.
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
        var room = min(max(buffer.capacity - buffer.count, Self.minimumRoom), Self.maximumInitialRoom)
        while true {
            let fitted: Bool
            if #available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *) {
                fitted = Self.appendUninitialized(to: &buffer, room: room, body)
            } else {
                fitted = Self.appendZeroFilled(to: &buffer, room: room, body)
            }
            if fitted { return }
            room *= 2
        }
    }

    /// One attempt: writes into the array's spare capacity without initialising it first.
    /// Zero-filling the room and trimming it again was ~240 of the combined line's ~4,900
    /// instructions (callgrind); `append(addingCapacity:initializingWith:)` hands out the raw room.
    @available(macOS 26.0, iOS 26.0, tvOS 26.0, watchOS 26.0, visionOS 26.0, *)
    private static func appendUninitialized(
        to buffer: inout [UInt8],
        room: Int,
        _ body: (inout AccessLogLineWriter) -> Void
    ) -> Bool {
        var fitted = false
        buffer.append(addingCapacity: room) { span in
            span.withUnsafeMutableBufferPointer { memory, initialized in
                var writer = AccessLogLineWriter(memory)
                body(&writer)
                // UInt8 is trivial: the bytes written are initialised; an overflow keeps none.
                fitted = !writer.overflowed
                initialized = fitted ? writer.count : 0
            }
        }
        return fitted
    }

    /// One attempt on systems without `OutputSpan`: zero-fills the room, writes, trims.
    private static func appendZeroFilled(
        to buffer: inout [UInt8],
        room: Int,
        _ body: (inout AccessLogLineWriter) -> Void
    ) -> Bool {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: room))
        let written: Int? = buffer.withUnsafeMutableBufferPointer { all in
            var writer = AccessLogLineWriter(UnsafeMutableBufferPointer(rebasing: all[start...]))
            body(&writer)
            return writer.overflowed ? nil : writer.count
        }
        buffer.removeLast(room - (written ?? 0))
        return written != nil
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

    /// How many bytes from its start a ``appendShortLiteral(_:count:)`` source must be readable
    /// for, whatever its `count`; also the longest literal that takes that path.
    static let shortLiteralReadLength = 16

    /// Appends `count` (≤ 16) bytes from `source`, which must be readable for 16 bytes (the
    /// compiled format pads its storage for this): two 8-byte moves instead of a byte loop. The
    /// literal runs between atoms (` - - [`, `] "`, `" "`) all take this path.
    @inline(__always)
    mutating func appendShortLiteral(_ source: UnsafeRawPointer, count: Int) {
        guard let base = self.base, Self.shortLiteralReadLength <= self.capacity - self.count else {
            self.append(UnsafeRawBufferPointer(start: source, count: count))
            return
        }
        let target = UnsafeMutableRawPointer(base + self.count)
        target.storeBytes(of: source.loadUnaligned(as: UInt64.self), as: UInt64.self)
        target.storeBytes(of: source.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        self.count += count
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
        guard let base = self.base, bytes.count <= (self.capacity &- self.count) &>> 2 else {  // count never exceeds capacity
            for byte in bytes {
                self.appendEscaped(byte)
            }
            return
        }
        guard let source = bytes.baseAddress else { return }
        let length = bytes.count
        let target = UnsafeMutableRawPointer(base + self.count)
        var index = 0
        if length < 8 {
            // Methods, versions, short hosts: byte by byte, but inline and without a call.
            while index < length {
                let byte = source.load(fromByteOffset: index, as: UInt8.self)
                if Self.needsEscaping(byte) { break }
                target.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
                index &+= 1
            }
            if index == length {
                self.count &+= length
            } else {
                self.count = Self.appendEscapedSlow(source, from: index, length: length, to: base, at: self.count &+ index)
            }
            return
        }
        // Most values (paths, user agents, referers) need no escaping at all: copy them 16 bytes
        // at a time while every chunk is clean, so output offset = input offset.
        while index &+ 16 <= length {
            let chunk = source.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
            if Self.needsEscaping(chunk) { break }
            target.storeBytes(of: chunk, toByteOffset: index, as: SIMD16<UInt8>.self)
            index &+= 16
        }
        if index == length {
            self.count &+= length
            return
        }
        if length &- index < 16 {
            // All before `index` was clean and the rest is shorter than a chunk: test what ends
            // at the last byte, overlapping clean bytes already copied to the same offsets.
            if length >= 16 {
                let chunk = source.loadUnaligned(fromByteOffset: length &- 16, as: SIMD16<UInt8>.self)
                if !Self.needsEscaping(chunk) {
                    target.storeBytes(of: chunk, toByteOffset: length &- 16, as: SIMD16<UInt8>.self)
                    self.count &+= length
                    return
                }
            } else {
                // 8–15 bytes: two overlapping words.
                let first = source.loadUnaligned(as: UInt64.self)
                let last = source.loadUnaligned(fromByteOffset: length &- 8, as: UInt64.self)
                if Self.escapeMask(first) | Self.escapeMask(last) == 0 {
                    target.storeBytes(of: first, as: UInt64.self)
                    target.storeBytes(of: last, toByteOffset: length &- 8, as: UInt64.self)
                    self.count &+= length
                    return
                }
            }
        }
        self.count = Self.appendEscapedSlow(source, from: index, length: length, to: base, at: self.count &+ index)
    }

    /// The rest of a value from `index` on, once a byte may need escaping (or the value is
    /// shorter than a word): clean words are still copied whole, others byte by byte.
    /// Returns the output count after the value. The caller ensured room for the worst case.
    private static func appendEscapedSlow(
        _ source: UnsafeRawPointer,
        from start: Int,
        length: Int,
        to base: UnsafeMutablePointer<UInt8>,
        at outputStart: Int
    ) -> Int {
        var count = outputStart
        var index = start
        while index + 8 <= length {
            let word = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if !Self.mayNeedEscaping(word) {
                UnsafeMutableRawPointer(base + count).storeBytes(of: word, as: UInt64.self)
                count += 8
                index += 8
                continue
            }
            for offset in index..<index + 8 {
                count = Self.writeMaybeEscaped(source.load(fromByteOffset: offset, as: UInt8.self), to: base, at: count)
            }
            index += 8
        }
        while index < length {
            count = Self.writeMaybeEscaped(source.load(fromByteOffset: index, as: UInt8.self), to: base, at: count)
            index += 1
        }
        return count
    }

    /// Whether any byte of `word` needs escaping (see ``escapeMask(_:)``).
    @inline(__always)
    static func mayNeedEscaping(_ word: UInt64) -> Bool {
        Self.escapeMask(word) != 0
    }

    /// Whether any of 16 bytes needs escaping: ``escapeMask(_:)``'s test with byte lanes, so no
    /// carry crosses bytes and the test is exact. The optimiser emits ~20 SSE2 instructions
    /// (`paddb`/`psubb`/`pxor`/`por`), against ~31 for two 8-byte words.
    @inline(__always)
    static func needsEscaping(_ chunk: SIMD16<UInt8>) -> Bool {
        let one = SIMD16<UInt8>(repeating: 1)
        let range = (chunk &+ one) | chunk | (chunk &- SIMD16(repeating: 0x20))
        let quote = (chunk ^ SIMD16(repeating: 0x22)) &- one
        let backslash = (chunk ^ SIMD16(repeating: 0x5C)) &- one
        let words = unsafeBitCast(range | quote | backslash, to: SIMD2<UInt64>.self)
        return (words[0] | words[1]) & 0x8080_8080_8080_8080 != 0
    }

    /// Non-zero exactly when some byte of `word` needs escaping (no false negatives, and a stray
    /// bit only in a word that has a byte to escape anyway).
    ///
    /// Per byte `b` the high bit of `b + 1` or `b` is set for `b ≥ 0x7F`, and of `b - 0x20` for
    /// `b < 0x20`; carries and borrows only cross from a byte that itself needs escaping. Once
    /// every byte is printable (all below 0x80), `(b ^ c) - 1` has its high bit set exactly when
    /// `b == c`, so `"` and `\\` cost three operations each. 11 operations per 8 bytes.
    @inline(__always)
    static func escapeMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let range = (word &+ ones) | word | (word &- ones &* 0x20)
        let quote = (word ^ (ones &* 0x22)) &- ones
        let backslash = (word ^ (ones &* 0x5C)) &- ones
        return (range | quote | backslash) & (ones &* 0x80)
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
        self.appendPadded(value, width: Self.decimalDigits(value))
    }

    /// How many decimal digits `value` has: comparisons, not divisions, with the short values a
    /// log line holds (status, sizes, durations) decided in the first few.
    @inline(__always)
    static func decimalDigits(_ value: UInt) -> Int {
        if value < 10 { return 1 }
        if value < 100 { return 2 }
        if value < 1_000 { return 3 }
        if value < 10_000 { return 4 }
        var digits = 5
        var power: UInt = 100_000
        // 10^19 still fits, and 20 digits is UInt.max's length.
        while digits < 20, value >= power {
            digits += 1
            power = power &* 10
        }
        return digits
    }

    /// "00" to "99": two digits per division by 100 halve the divisions of a number.
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// The two ASCII digits of `value` (0–99) as they lie in memory, for one 2-byte store.
    @inline(__always)
    static func digitPair(_ value: Int) -> UInt16 {
        UnsafeRawPointer(Self.digitPairs.utf8Start).loadUnaligned(fromByteOffset: value &* 2, as: UInt16.self)
    }

    /// Appends a field of exactly `length` bytes that `body` stores at fixed offsets, after one
    /// room check for `room` (≥ `length`) bytes: `body` may store up to `room` bytes, and what
    /// lies past `length` is overwritten by the next write or trimmed.
    @inline(__always)
    mutating func appendFixed(length: Int, room: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
        guard let base = self.base, room <= self.capacity - self.count else {
            self.overflowed = true
            return
        }
        body(UnsafeMutableRawPointer(base + self.count))
        self.count += length
    }

    /// Appends the last `width` decimal digits of `value`, zero-padded on the left.
    mutating func appendPadded(_ value: UInt, width: Int) {
        guard let base = self.base, width <= self.capacity - self.count else {
            self.overflowed = true
            return
        }
        // Locals, not `self.count`: stores through `base` could alias `self` for the optimiser,
        // which then reloaded the count on every digit.
        let start = self.count
        var remaining = value
        var index = start &+ width
        while index &- start >= 2 {
            let pair = Int(truncatingIfNeeded: remaining % 100)
            remaining /= 100
            index &-= 2
            UnsafeMutableRawPointer(base + index).storeBytes(of: Self.digitPair(pair), as: UInt16.self)
        }
        if index > start {
            base[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
        }
        self.count = start &+ width
    }
}
