import NIOCore
import PAGI
import Testing

@Suite("PAGIScope")
struct PAGIScopeTests {
    static func request(path: String = "/") -> PAGIRequestInfo {
        PAGIRequestInfo(
            method: "GET",
            scheme: "http",
            path: PAGIPath(decoding: Array(path.utf8)),
            rawPath: Array(path.utf8),
            headers: [("host", "example.com")],
            client: PAGIClientAddress(host: "127.0.0.1", port: 50000),
            server: PAGIServerAddress(host: "127.0.0.1", port: 5000)
        )
    }

    @Test("scope types, version and request details")
    func types() {
        let http = PAGIScope.http(HTTPScope(request: Self.request()))
        let websocket = PAGIScope.websocket(WebSocketScope(request: Self.request(), subprotocols: ["chat"]))
        let sse = PAGIScope.sse(SSEScope(request: Self.request()))
        let lifespan = PAGIScope.lifespan(LifespanScope(isWorker: true, workerNumber: 2))
        #expect([http, websocket, sse, lifespan].map(\.type) == [.http, .websocket, .sse, .lifespan])
        #expect(PAGIScopeType.allCases.map(\.rawValue) == ["http", "websocket", "sse", "lifespan"])
        #expect(http.pagi == PAGIVersionInfo(version: "0.3", specVersion: "0.3"))
        #expect(lifespan.request == nil)
        #expect(http.request?.headers.first(name: "host") == "example.com")
    }

    @Test("defaults of optional keys follow the protocol")
    func defaults() {
        let request = Self.request()
        #expect(request.httpVersion == .http1_1)
        #expect(request.rootPath == "")
        #expect(request.queryString.isEmpty)
        #expect(request.extensions.isEmpty)
        #expect(request.transport == nil)
        #expect(request.state.isEmpty)
        #expect(WebSocketScope(request: request).subprotocols.isEmpty)
        #expect(PAGIHTTPVersion.allCases.map(\.rawValue) == ["1.0", "1.1", "2"])
    }

    @Test("request keys are reachable directly and a copy changes only itself")
    func shallowCopy() {
        let original = HTTPScope(request: Self.request(path: "/a"))
        var copy = original
        copy.rootPath = "/mount"
        copy.attributes["myapp.request_id"] = "42"
        #expect(original.rootPath == "")
        #expect(original.attributes.isEmpty)
        #expect(copy.path == "/a")
        // The connection handle is shared: both copies see the same request.
        copy.connection.markResponseStarted()
        #expect(original.connection.responseStarted)
    }

    @Test("lifespan state: request scopes get shallow snapshots")
    func lifespanState() {
        final class Pool: Sendable { let name = "db" }
        let state = PAGILifespanState()
        state["db"] = Pool()
        let snapshot = state.snapshot()
        state["late"] = 1
        #expect(snapshot["late"] == nil)
        #expect((snapshot["db"] as? Pool) === (state["db"] as? Pool))
        #expect(state["late"] as? Int == 1)
        state["late"] = nil
        #expect(state["late"] == nil)
    }

    @Test("extensions: presence, data and tls")
    func extensions() {
        var extensions = PAGIExtensions([PAGIExtensions.fullFlush: [:]])
        #expect(extensions.contains("fullflush"))
        #expect(!extensions.contains("tls"))
        #expect(extensions["fullflush"] == [:])
        extensions.tls = PAGITLSInfo(tlsVersion: 0x0304, cipherSuite: 0x1301)
        #expect(extensions.contains("tls"))
        #expect(extensions.tls?.clientCertificateChain == [])
    }
}
