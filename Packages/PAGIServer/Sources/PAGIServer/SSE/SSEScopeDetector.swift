import PAGI

/// Decides whether a request becomes an `sse` scope (protocol §8.1).
///
/// A request is SSE iff it is not a WebSocket upgrade and one of its `Accept` media ranges is
/// exactly `text/event-stream` (case-insensitive, parameters and `q` ignored). Method and path never
/// matter. Deviation from the reference server (⚠ protocol §8.1), which does a case-sensitive
/// substring test: `Accept: text/event-stream-foo` or a `text/event-stream` inside a parameter is
/// not an event-stream request, and `TEXT/Event-Stream` is one.
///
/// A range with `q=0` still counts: the spec asks only whether the header "includes the media
/// type", and `EventSource` never sends `q=0`.
enum SSEScopeDetector {
    private static let mediaType = Array("text/event-stream".utf8)
    private static let acceptName = Array("accept".utf8)

    /// The scope type for a request that reached the app layer.
    /// - Parameters:
    ///   - headers: The request headers.
    ///   - isWebSocketUpgrade: Whether the request asks for a WebSocket upgrade; that check runs
    ///     first, as the spec orders it.
    static func scopeType(headers: PAGIHeaders, isWebSocketUpgrade: Bool) -> PAGIScopeType {
        if isWebSocketUpgrade { return .websocket }
        return Self.acceptsEventStream(headers) ? .sse : .http
    }

    /// Whether any `Accept` field lists `text/event-stream` as one of its media ranges.
    static func acceptsEventStream(_ headers: PAGIHeaders) -> Bool {
        // Runs for every request: the in-place field scan costs no reference counting per field.
        headers.containsField { name, value in
            Self.isAccept(name) && Self.listsEventStream(value)
        }
    }

    private static func isAccept(_ name: UnsafeRawBufferPointer) -> Bool {
        Self.equalsIgnoringASCIICase(name, Self.acceptName)
    }

    /// Scans a comma-separated list of media ranges; each range ends at `;` (parameters) or `,`.
    static func listsEventStream(_ value: UnsafeRawBufferPointer) -> Bool {
        var index = value.startIndex
        while index < value.endIndex {
            // One element: skip leading whitespace, take the media range up to `;`, `,` or whitespace.
            while index < value.endIndex, Self.isWhitespace(value[index]) { index += 1 }
            let rangeStart = index
            while index < value.endIndex, value[index] != UInt8(ascii: ";"), value[index] != UInt8(ascii: ","),
                !Self.isWhitespace(value[index])
            {
                index += 1
            }
            if Self.equalsIgnoringASCIICase(value[rangeStart..<index], Self.mediaType) {
                // Only whitespace or parameters may follow the type in the same element.
                var rest = index
                while rest < value.endIndex, Self.isWhitespace(value[rest]) { rest += 1 }
                if rest == value.endIndex || value[rest] == UInt8(ascii: ";") || value[rest] == UInt8(ascii: ",") {
                    return true
                }
            }
            // Skip the rest of the element (parameters may be quoted strings containing commas).
            var inQuotes = false
            while index < value.endIndex {
                let byte = value[index]
                if inQuotes {
                    if byte == UInt8(ascii: "\\") {
                        index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        inQuotes = false
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inQuotes = true
                } else if byte == UInt8(ascii: ",") {
                    break
                }
                index += 1
            }
            index += 1
        }
        return false
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func equalsIgnoringASCIICase(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).allSatisfy { left, right in
            Self.lowercased(left) == Self.lowercased(right)
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
