/// A scope's `path`: the request path percent-decoded, then UTF-8-decoded (protocol §3.3).
///
/// The protocol wants the decoded bytes kept as they are when they are not valid UTF-8, which a
/// Swift `String` cannot hold. Our decision (Docs/architecture.md, "Decisions"): ``text`` is
/// always usable for routing; when the bytes are not UTF-8 it holds them mapped one-to-one to
/// U+0000…U+00FF (Latin-1) and ``isLatin1Fallback`` is `true`, so ``bytes`` gives back the exact
/// decoded bytes. Nothing is replaced and nothing is rejected.
public struct PAGIPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The decoded path as text.
    public var text: String
    /// Whether the decoded bytes were not valid UTF-8 and ``text`` holds their Latin-1 mapping.
    public var isLatin1Fallback: Bool

    /// Creates a path from text.
    /// - Parameter text: A decoded path.
    public init(_ text: String) {
        self.text = text
        self.isLatin1Fallback = false
    }

    /// Creates a path from a string literal.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// Decodes a raw (still percent-encoded) path.
    ///
    /// `%XX` with two hex digits becomes the byte; a `%` not followed by two hex digits is kept
    /// literally; `+` stays `+`; `%2F` becomes `/`.
    /// - Parameter rawPath: The path bytes as sent, without the query.
    public init(decoding rawPath: some Collection<UInt8>) {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(rawPath.count)
        var index = rawPath.startIndex
        while index != rawPath.endIndex {
            let byte = rawPath[index]
            if byte == UInt8(ascii: "%") {
                let first = rawPath.index(after: index)
                if first != rawPath.endIndex {
                    let second = rawPath.index(after: first)
                    if second != rawPath.endIndex, let high = Self.hexValue(rawPath[first]), let low = Self.hexValue(rawPath[second]) {
                        decoded.append(high << 4 | low)
                        index = rawPath.index(after: second)
                        continue
                    }
                }
            }
            decoded.append(byte)
            index = rawPath.index(after: index)
        }
        if let text = String(validating: decoded, as: UTF8.self) {
            self.text = text
            self.isLatin1Fallback = false
        } else {
            self.text = String(String.UnicodeScalarView(decoded.map { Unicode.Scalar($0) }))
            self.isLatin1Fallback = true
        }
    }

    /// The exact decoded bytes.
    public var bytes: [UInt8] {
        self.isLatin1Fallback ? self.text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } : Array(self.text.utf8)
    }

    public var description: String { self.text }

    /// Compares the path text with a string.
    public static func == (lhs: PAGIPath, rhs: String) -> Bool {
        lhs.text == rhs
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
