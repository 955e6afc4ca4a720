/// Evaluates a `Range` header against a representation's length (RFC 9110 §14).
///
/// Only one `bytes` range is honoured. Everything the server may ignore — another unit, a
/// syntax error, several ranges — is ``Decision/ignore``, which means "send the full `200`".
enum ByteRangeParser {
    enum Decision: Sendable, Hashable {
        /// Serve the whole representation.
        case ignore
        /// Serve `length` bytes from `offset` with `206`.
        case partial(offset: Int64, length: Int64)
        /// Answer `416` with `Content-Range: bytes */<size>`.
        case unsatisfiable
    }

    /// Decides how to answer one `Range` header value.
    /// - Parameters:
    ///   - value: The header value, e.g. `bytes=0-99`.
    ///   - size: The representation's length in bytes.
    static func evaluate(_ value: String, size: Int64) -> Decision {
        var text = Substring(value).trimmingSpaces()
        guard let equals = text.firstIndex(of: "="), text[..<equals].trimmingSpaces().lowercased() == "bytes" else {
            return .ignore
        }
        text = text[text.index(after: equals)...].trimmingSpaces()
        guard !text.contains(","), let dash = text.firstIndex(of: "-") else { return .ignore }
        let firstText = text[..<dash].trimmingSpaces()
        let lastText = text[text.index(after: dash)...].trimmingSpaces()
        if firstText.isEmpty {
            // Suffix range: the last N bytes.
            guard let suffix = Self.number(lastText) else { return .ignore }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            let length = min(suffix, size)
            return .partial(offset: size - length, length: length)
        }
        guard let first = Self.number(firstText) else { return .ignore }
        if lastText.isEmpty {
            return first < size ? .partial(offset: first, length: size - first) : .unsatisfiable
        }
        guard let last = Self.number(lastText), last >= first else { return .ignore }
        guard first < size else { return .unsatisfiable }
        return .partial(offset: first, length: min(last, size - 1) - first + 1)
    }

    /// A non-empty run of digits; values beyond `Int64` saturate, which reads as "past any file".
    private static func number(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        var value: Int64 = 0
        for digit in text.utf8 {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return .max }
            value = sum
        }
        return value
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return slice
    }
}
