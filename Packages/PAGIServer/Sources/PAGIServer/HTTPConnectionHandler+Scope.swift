import PAGI
import PAGIHTTP1

extension HTTPConnectionHandler {
    /// The request part of a scope (protocol §3) for `request` on this connection: the same for the
    /// http, sse and websocket scopes, which differ only in `scheme` and `extensions`.
    func requestInfo(_ request: RequestInFlight, scheme: String, extensions: PAGIExtensions) -> PAGIRequestInfo {
        PAGIRequestInfo(
            httpVersion: request.version == .http1_0 ? .http1_0 : .http1_1,
            method: request.method,
            scheme: scheme,
            path: request.path,
            rawPath: request.rawPath,
            queryString: request.queryString,
            headers: request.headers,
            client: self.clientAddress,
            server: self.serverAddress,
            state: self.connectionContext.lifespanState?.snapshot() ?? [:],
            extensions: extensions,
            transport: request.transport
        )
    }
}
