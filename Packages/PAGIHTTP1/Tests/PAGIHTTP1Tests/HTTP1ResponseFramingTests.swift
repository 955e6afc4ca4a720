import PAGIHTTP1
import Testing

@Suite("HTTP1ResponseFraming")
struct HTTP1ResponseFramingTests {
    @Test(arguments: [
        // (version, HEAD, keep-alive, status, has CL) → (body, keep-alive)
        (HTTP1Version.http1_1, false, true, 200, true, HTTP1ResponseFraming.Body.contentLength, true),
        (.http1_1, false, true, 200, false, .chunked, true),
        (.http1_1, false, false, 200, false, .chunked, false),
        (.http1_1, true, true, 200, false, .none, true),
        (.http1_1, false, true, 204, false, .none, true),
        (.http1_1, false, true, 304, true, .none, true),
        (.http1_1, false, true, 101, false, .none, true),
        (.http1_0, false, true, 200, true, .contentLength, true),
        (.http1_0, false, false, 200, true, .contentLength, false),
        (.http1_0, false, true, 200, false, .untilClose, false),
        (.http1_0, true, true, 200, false, .none, true),
    ])
    func decision(
        version: HTTP1Version,
        isHead: Bool,
        keepAlive: Bool,
        status: Int,
        hasContentLength: Bool,
        body: HTTP1ResponseFraming.Body,
        staysOpen: Bool
    ) {
        let framing = HTTP1ResponseFraming(
            status: status,
            context: HTTP1ResponseContext(version: version, isHeadRequest: isHead, keepAlive: keepAlive),
            hasContentLength: hasContentLength
        )
        #expect(framing.body == body)
        #expect(framing.keepAlive == staysOpen)
        #expect(framing.allowsTrailers == (body == .chunked))
    }
}
