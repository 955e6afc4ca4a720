/// Byte classes and small comparisons shared by the parser and the serializer.
///
/// The classes are bit masks rather than lookup tables: a table in a `static let` costs a lazy
/// initialisation check and a bounds check per byte on the hot path, a shift and an `and` do not.
@usableFromInline
enum HTTP1Bytes {
    @usableFromInline static let cr: UInt8 = 0x0D
    @usableFromInline static let lf: UInt8 = 0x0A
    @usableFromInline static let space: UInt8 = 0x20
    @usableFromInline static let tab: UInt8 = 0x09
    @usableFromInline static let colon: UInt8 = 0x3A

    /// RFC 9110 §5.6.2 `tchar`, bytes 0–63 and 64–127.
    private static let tokenMaskLow: UInt64 = 0x03ff_6cfa_0000_0000
    private static let tokenMaskHigh: UInt64 = 0x57ff_ffff_c7ff_fffe

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `word` is below `limit` (≤ 128), for bytes below 0x80 — the classic SWAR
    /// "has less" test: exact about *whether*, not about *which* byte.
    static func hasByteBelow(_ word: UInt64, _ limit: UInt8) -> Bool {
        (word &- Self.ones &* UInt64(limit)) & ~word & Self.highBits != 0
    }

    /// Whether any byte of `word` equals `byte`.
    static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        Self.hasByteBelow(word ^ (Self.ones &* UInt64(byte)), 1)
    }

    /// Whether any byte of `word` has its high bit set.
    static func hasHighByte(_ word: UInt64) -> Bool {
        word & Self.highBits != 0
    }

    /// Whether `byte` may appear in a token (method, field name, transfer coding).
    static func isTokenByte(_ byte: UInt8) -> Bool {
        if byte < 64 {
            return (Self.tokenMaskLow >> UInt64(byte)) & 1 == 1
        }
        if byte < 128 {
            return (Self.tokenMaskHigh >> UInt64(byte &- 64)) & 1 == 1
        }
        return false
    }

    /// Whether `byte` may appear in a field value: HTAB, visible ASCII, space, obs-text.
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != 0x7F) || byte == Self.tab
    }

    /// Whether `byte` may appear in a request target: visible ASCII only.
    static func isTargetByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    /// Space or horizontal tab (RFC 9110 OWS).
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == Self.space || byte == Self.tab
    }

    /// The value of a hexadecimal digit, or `nil`.
    @usableFromInline
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"):
            return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"):
            return byte &- UInt8(ascii: "A") &+ 10
        default:
            return nil
        }
    }

    /// ASCII lower-casing of one byte.
    @inlinable
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &+ ((byte &- 0x41) < 26 ? 0x20 : 0)
    }

    /// Whether two byte sequences are equal ignoring ASCII case.
    @usableFromInline
    static func equalsCaseInsensitive(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else {
            return false
        }
        return zip(lhs, rhs).allSatisfy { Self.lowercased($0) == Self.lowercased($1) }
    }

    /// Whether `bytes[start..<end]` equals the lower-case ASCII `literal`, ignoring the case of `bytes`.
    static func equalsLowercaseLiteral(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        guard end - start == literal.utf8CodeUnitCount else {
            return false
        }
        let literalBytes = literal.utf8Start
        var index = 0
        while index < end - start {
            if Self.lowercased(bytes[start + index]) != literalBytes[index] {
                return false
            }
            index += 1
        }
        return true
    }
}
