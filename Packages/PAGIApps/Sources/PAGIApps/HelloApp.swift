import NIOCore
import PAGI

/// `hello`: one fixed response, built once.
enum HelloApp {
    static let body = "Hello, World!"

    // Built once: the events are immutable values, so sharing them between requests (and event
    // loops) costs nothing and saves a header list and a buffer per request.
    static let start = PAGIOutboundEvent.httpResponseStart(
        status: 200,
        headers: [("content-type", "text/plain"), ("content-length", String(body.utf8.count))]
    )
    static let bodyEvent = PAGIOutboundEvent.httpResponseBody(.bytes(ByteBuffer(string: body)))

    static let app: PAGIApp = { scope, _, send in
        guard case .http = scope else { throw PAGIUnsupportedScopeError(scope.type) }
        try await send(start)
        try await send(bodyEvent)
    }
}
