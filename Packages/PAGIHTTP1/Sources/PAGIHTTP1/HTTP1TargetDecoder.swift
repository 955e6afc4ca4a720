/// Decoding of request targets into the PAGI `path` value.
public enum HTTP1TargetDecoder {
    /// Percent-decodes a path (PAGI protocol §3.3): `%XX` with two hex digits becomes that byte,
    /// everything else — including `+` and malformed escapes such as `%zz` or a trailing `%` — is
    /// kept as is. `%2F` becomes `/`, so only `raw_path` preserves that distinction.
    ///
    /// The result may not be valid UTF-8; the scope builder decides how to represent it.
    /// - Parameter raw: The percent-encoded bytes (usually ``HTTP1RequestHead/rawPath``).
    /// - Returns: The decoded bytes.
    public static func percentDecode(_ raw: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index != raw.endIndex {
            let byte = raw[index]
            let next = raw.index(after: index)
            if byte == UInt8(ascii: "%"), next != raw.endIndex {
                let second = raw.index(after: next)
                if second != raw.endIndex, let high = HTTP1Bytes.hexValue(raw[next]),
                    let low = HTTP1Bytes.hexValue(raw[second])
                {
                    output.append(high << 4 | low)
                    index = raw.index(after: second)
                    continue
                }
            }
            output.append(byte)
            index = next
        }
        return output
    }
}
