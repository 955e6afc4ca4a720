import NIOCore
import PAGI

/// `echo`: reads the whole body, hashing it as it arrives, and answers with the echo contract.
enum EchoApp {
    static let app: PAGIApp = { scope, receive, send in
        guard case .http(let http) = scope else { throw PAGIUnsupportedScopeError(scope.type) }
        var hasher = SHA256()
        var bodyLength = 0
        // Hashing fragment by fragment keeps memory flat whatever the body size.
        receiving: while true {
            switch try await receive() {
            case .httpRequest(let body, let more):
                body.withUnsafeReadableBytes { hasher.update($0) }
                bodyLength += body.readableBytes
                if !more { break receiving }
            case .httpDisconnect:
                return  // the client is gone: nobody to answer
            case .websocketConnect, .websocketReceive, .websocketDisconnect, .sseRequest, .sseDisconnect, .lifespanStartup,
                .lifespanShutdown, .custom:
                continue  // not part of an http scope; ignored as the protocol allows
            }
        }
        let json = EchoResponseSerializer.serialize(
            request: http.request,
            bodyLength: bodyLength,
            bodySHA256: hasher.finalize()
        )
        try await send(
            .httpResponseStart(
                status: 200,
                headers: [("content-type", "application/json"), ("content-length", String(json.readableBytes))]
            )
        )
        try await send(.httpResponseBody(.bytes(json)))
    }
}
