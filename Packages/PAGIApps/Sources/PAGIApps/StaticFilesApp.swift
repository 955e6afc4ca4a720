import NIOCore
import PAGI

/// `static`: turns the ``StaticFileResponder``'s decision into PAGI events.
struct StaticFilesApp: Sendable {
    let responder: StaticFileResponder

    init(configuration: PAGIStaticFilesConfiguration) throws(PAGIStaticFilesError) {
        self.responder = try StaticFileResponder(configuration: configuration)
    }

    func handle(scope: PAGIScope, receive: PAGIReceive, send: PAGISend) async throws {
        guard case .http(let http) = scope else { throw PAGIUnsupportedScopeError(scope.type) }
        let response = self.responder.respond(to: http.request)
        try await send(.httpResponseStart(status: response.status, headers: response.headers))
        switch response.body {
        case .empty:
            try await send(.httpResponseBody(.empty))
        case .text(let text):
            try await send(.httpResponseBody(.text(text)))
        case .file(let path, let offset, let length):
            try await send(.httpResponseBody(.file(path: path, offset: offset, length: length)))
        }
    }
}
