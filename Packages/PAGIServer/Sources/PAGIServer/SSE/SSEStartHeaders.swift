import PAGI

/// The header list of an `sse.start` response (protocol §8.3): the app's headers plus the ones
/// an event stream needs, so apps need not set any.
///
/// - `content-type: text/event-stream` when the app gave no content type.
/// - `cache-control: no-cache` when the app gave no cache-control. Deviation from the reference
///   server (⚠ server-behaviour §13), which always appends one and may duplicate the app's.
/// - An app's `content-length` is dropped: a stream has no length, and a length would make the
///   HTTP/1.1 serializer choose fixed-length framing instead of chunked.
///
/// `date`, `connection` and chunked framing come from the HTTP/1.1 head serializer, as for any
/// response; the wiring must write the head with keep-alive framing and close the connection
/// when the stream ends (SSE connections are never reused).
enum SSEStartHeaders {
    static func complete(_ appHeaders: PAGIHeaders) -> PAGIHeaders {
        var headers = appHeaders
        var hasContentType = false
        var hasCacheControl = false
        var hasContentLength = false
        for field in appHeaders {
            if Self.nameEquals(field.nameBytes, "content-type") {
                hasContentType = true
            } else if Self.nameEquals(field.nameBytes, "cache-control") {
                hasCacheControl = true
            } else if Self.nameEquals(field.nameBytes, "content-length") {
                hasContentLength = true
            }
        }
        if hasContentLength {
            headers.removeAll(name: "content-length")
        }
        if !hasContentType {
            headers.add(name: "content-type", value: "text/event-stream")
        }
        if !hasCacheControl {
            headers.add(name: "cache-control", value: "no-cache")
        }
        return headers
    }

    /// Apps may spell names in any case (`Content-Type`); HTTP field names are case-insensitive.
    private static func nameEquals(_ name: ArraySlice<UInt8>, _ expected: StaticString) -> Bool {
        guard name.count == expected.utf8CodeUnitCount else { return false }
        let expectedBytes = UnsafeBufferPointer(start: expected.utf8Start, count: expected.utf8CodeUnitCount)
        return zip(name, expectedBytes).allSatisfy { actual, wanted in
            ((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(actual) ? actual | 0x20 : actual) == wanted
        }
    }
}
