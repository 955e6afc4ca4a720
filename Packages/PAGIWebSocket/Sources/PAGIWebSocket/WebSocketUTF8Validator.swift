/// An incremental, fail-fast UTF-8 validator for text messages split across frames
/// ([RFC 6455 §8.1](https://www.rfc-editor.org/rfc/rfc6455#section-8.1)).
///
/// Feed the message's bytes in any number of chunks with ``consume(_:)``; it returns `false` at the
/// first byte after which no continuation could make the prefix valid — overlong encodings
/// (`C0`/`C1`, `E0 80…9F`, `F0 80…8F`), UTF-16 surrogates (`ED A0…BF`), code points above U+10FFFF
/// (`F4 90…`, `F5…FF`) and stray continuation bytes. At the end of the message
/// ``isAtCharacterBoundary`` must be `true`, otherwise the message ends inside a code point.
///
/// The accepted sequences are exactly those of Unicode Table 3-7 (well-formed UTF-8).
public struct WebSocketUTF8Validator: Sendable, Hashable {
    /// Continuation bytes still expected for the current code point.
    private var remaining: UInt8 = 0
    /// Allowed range of the next continuation byte; narrower than 80…BF only right after a lead
    /// byte, which is how overlongs, surrogates and > U+10FFFF are ruled out without decoding.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Creates a validator at the start of a message.
    public init() {}

    /// Whether all bytes seen so far end on a complete code point.
    public var isAtCharacterBoundary: Bool { self.remaining == 0 }

    /// Forgets any partial code point so the validator can start a new message.
    public mutating func reset() {
        self = WebSocketUTF8Validator()
    }

    /// Validates the next chunk of a message.
    /// - Parameter bytes: The next bytes of the message.
    /// - Returns: `false` as soon as the bytes seen so far cannot be the prefix of valid UTF-8;
    ///   the validator must then be discarded or reset.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        var remaining = self.remaining
        var lower = self.lower
        var upper = self.upper
        defer {
            self.remaining = remaining
            self.lower = lower
            self.upper = upper
        }
        while index < count {
            if remaining != 0 {
                // Finishing a code point begun in an earlier chunk: one byte at a time.
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                guard byte >= lower && byte <= upper else { return false }
                index += 1
                remaining -= 1
                lower = 0x80
                upper = 0xBF
                continue
            }
            // ASCII runs dominate real text: skip them a word at a time and jump straight to the
            // first non-ASCII byte of a word; once a whole word was ASCII, try 32 bytes at a time.
            // Checking one word first keeps accented prose fast (the 32-byte probe mostly fails
            // there); byte-at-a-time, mixed text ran at ~0.5 GB/s.
            while index + 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let high = word & 0x8080_8080_8080_8080
                if high != 0 {
                    index += high.trailingZeroBitCount >> 3
                    break
                }
                index += 8
                while index + 32 <= count {
                    let a = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let b = base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                    let c = base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                    let d = base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
                    guard (a | b | c | d) & 0x8080_8080_8080_8080 == 0 else { break }
                    index += 32
                }
            }
            guard index < count else { return true }
            let lead = base.load(fromByteOffset: index, as: UInt8.self)
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var first: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF:
                length = 2
            case 0xE0:
                length = 3
                first = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF:
                length = 3
            case 0xED:
                length = 3
                first = 0x80...0x9F
            case 0xF0:
                length = 4
                first = 0x90...0xBF
            case 0xF1...0xF3:
                length = 4
            case 0xF4:
                length = 4
                first = 0x80...0x8F
            default:
                // 80…BF stray continuation, C0/C1 overlong leads, F5…FF beyond U+10FFFF.
                return false
            }
            guard index + length <= count else {
                // The code point continues in the next chunk: keep what it still needs.
                remaining = UInt8(length - 1)
                lower = first.lowerBound
                upper = first.upperBound
                index += 1
                continue
            }
            guard first.contains(base.load(fromByteOffset: index + 1, as: UInt8.self)) else { return false }
            for offset in 2..<length {
                guard base.load(fromByteOffset: index + offset, as: UInt8.self) & 0xC0 == 0x80 else { return false }
            }
            index += length
        }
        return true
    }

    /// Validates the next chunk of a message held in an array.
    /// - Parameter bytes: The next bytes of the message.
    /// - Returns: `false` as soon as the prefix cannot be valid UTF-8.
    public mutating func consume(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { self.consume($0) }
    }
}
