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
            if remaining == 0 {
                // ASCII runs dominate real text: skip them 32 bytes (then 8) at a time. This is
                // what keeps ASCII-heavy text well above 1 GB/s.
                while index + 32 <= count {
                    let a = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let b = base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                    let c = base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                    let d = base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
                    guard (a | b | c | d) & 0x8080_8080_8080_8080 == 0 else { break }
                    index += 32
                }
                while index + 8 <= count {
                    let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    guard word & 0x8080_8080_8080_8080 == 0 else { break }
                    index += 8
                }
                guard index < count else { return true }
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                index += 1
                switch byte {
                case 0x00...0x7F:
                    continue
                case 0xC2...0xDF:
                    remaining = 1
                case 0xE0:
                    remaining = 2
                    lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF:
                    remaining = 2
                case 0xED:
                    remaining = 2
                    upper = 0x9F
                case 0xF0:
                    remaining = 3
                    lower = 0x90
                case 0xF1...0xF3:
                    remaining = 3
                case 0xF4:
                    remaining = 3
                    upper = 0x8F
                default:
                    // 80…BF stray continuation, C0/C1 overlong leads, F5…FF beyond U+10FFFF.
                    return false
                }
            } else {
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                index += 1
                guard byte >= lower && byte <= upper else { return false }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
            }
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
