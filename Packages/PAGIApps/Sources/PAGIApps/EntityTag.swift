/// Entity tags (RFC 9110 §8.8.3) and the comparisons conditional requests need.
enum EntityTag {
    /// The strong tag of a file version: inode, modification time (ns) and size, in hex.
    ///
    /// The inode changes when a deploy replaces the file by rename, the nanosecond time when it is
    /// rewritten in place; together with the size two versions practically never share a tag.
    static func make(inode: UInt64, modificationNanoseconds: Int64, size: Int64) -> String {
        "\"\(String(inode, radix: 16))-\(String(modificationNanoseconds, radix: 16))-\(String(size, radix: 16))\""
    }

    /// Whether an `If-None-Match` value matches `tag` under weak comparison (`*` matches anything).
    /// A malformed list matches nothing.
    static func noneMatchListMatches(_ value: String, tag: String) -> Bool {
        if Substring(value).trimmingSpaces() == "*" { return true }
        guard let tags = Self.parseList(value) else { return false }
        let opaque = Self.opaque(tag)
        return tags.contains { $0.opaque == opaque }
    }

    /// Whether an `If-Range` entity tag matches `tag` under strong comparison (both not weak, same
    /// opaque tag).
    static func strongMatch(_ value: String, tag: String) -> Bool {
        guard let tags = Self.parseList(value), tags.count == 1, let only = tags.first else { return false }
        return !only.weak && only.opaque == Self.opaque(tag)
    }

    /// Whether a header value looks like an entity tag rather than a date (`If-Range`).
    static func looksLikeTag(_ value: String) -> Bool {
        let trimmed = Substring(value).trimmingSpaces()
        return trimmed.hasPrefix("\"") || trimmed.hasPrefix("W/")
    }

    private static func opaque(_ tag: String) -> Substring {
        Substring(tag)
    }

    /// Parses `1#entity-tag`: `W/"x", "y"`. Returns `nil` on any syntax error.
    private static func parseList(_ value: String) -> [(weak: Bool, opaque: Substring)]? {
        var tags: [(weak: Bool, opaque: Substring)] = []
        var rest = Substring(value)
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "\t" || $0 == "," })
            if rest.isEmpty { break }
            var weak = false
            if rest.hasPrefix("W/") {
                weak = true
                rest = rest.dropFirst(2)
            }
            guard rest.first == "\"" else { return nil }
            let afterQuote = rest.dropFirst()
            guard let close = afterQuote.firstIndex(of: "\"") else { return nil }
            tags.append((weak, rest[rest.startIndex...close]))
            rest = afterQuote[afterQuote.index(after: close)...]
            let next = rest.drop(while: { $0 == " " || $0 == "\t" })
            guard next.isEmpty || next.first == "," else { return nil }
            rest = next
        }
        return tags.isEmpty ? nil : tags
    }
}
