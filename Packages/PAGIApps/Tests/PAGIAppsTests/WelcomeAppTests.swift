#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import PAGI
import Testing

@testable import PAGIApps

@Suite("WelcomeApp")
struct WelcomeAppTests {
    private func makeApp(version: String = "pagi-server 9.9 <beta>", clock: TestClock = TestClock()) -> WelcomeApp<TestClock> {
        WelcomeApp(configuration: PAGIWelcomeConfiguration(serverVersion: version), clock: clock, now: { 1_795_329_005 })
    }

    private func get(_ app: WelcomeApp<TestClock>, _ path: String = "/", method: String = "GET") async throws -> RecordedResponse {
        try await respond({ try await app.handle(scope: $0, receive: $1, send: $2) }, makeScope(method: method, rawPath: path))
    }

    @Test("GET / is a self-contained HTML page with version, pid, worker and uptime")
    func page() async throws {
        let response = try await self.get(self.makeApp())
        #expect(response.status == 200)
        #expect(response.header("content-type") == "text/html; charset=utf-8")
        #expect(response.header("content-length") == String(response.body.count))
        let html = response.text
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains(#"<dd id="server-version">pagi-server 9.9 &lt;beta&gt;</dd>"#))
        #expect(html.contains(#"<dd id="server-pid">\#(getpid())</dd>"#))
        #expect(html.contains(#"<dd id="server-worker">not reported (lifespan off)</dd>"#))
        #expect(html.contains(#"<dd id="server-uptime">0s</dd>"#))
        #expect(html.contains(#"new EventSource("/events")"#))
        #expect(html.contains(#""/ws""#))
        for element in ["ws-log", "sse-clock", "sse-ticks"] {
            #expect(html.contains(#"id="\#(element)""#))
        }
    }

    @Test("the page loads nothing from elsewhere (works offline)")
    func noExternalAssets() async throws {
        let html = try await self.get(self.makeApp()).text
        #expect(!html.contains("src="))
        #expect(!html.contains("href="))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url("))
    }

    @Test("uptime follows the clock")
    func uptime() async throws {
        let clock = TestClock()
        let app = self.makeApp(clock: clock)
        clock.advance(by: .seconds(3725))
        #expect(try await self.get(app).text.contains(#"<dd id="server-uptime">1h 02m 05s</dd>"#))
    }

    @Test("HEAD / has the GET length and no body")
    func head() async throws {
        let app = self.makeApp()
        let get = try await self.get(app)
        let head = try await self.get(app, method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("content-length") == get.header("content-length"))
    }

    @Test("other methods on / get 405 with Allow", arguments: ["POST", "PUT", "DELETE"])
    func methodNotAllowed(method: String) async throws {
        let response = try await self.get(self.makeApp(), method: method)
        #expect(response.status == 405)
        #expect(response.header("allow") == "GET, HEAD")
    }

    @Test(
        "other http paths: 426 for /ws, 406 for /events, 404 otherwise",
        arguments: [("/ws", 426), ("/events", 406), ("/nope", 404), ("/index.html", 404), ("//", 404)]
    )
    func httpPaths(path: String, status: Int) async throws {
        let response = try await self.get(self.makeApp(), path)
        #expect(response.status == status)
        #expect(response.header("content-length") == String(response.body.count))
    }

    @Test("websocket /ws echoes")
    func webSocketEcho() async throws {
        let app = self.makeApp()
        let connection = FakeConnection(
            inbound: [.websocketConnect, .websocketReceive(.text("hi")), .websocketDisconnect(code: 1001, reason: "")],
            scopeType: .websocket
        )
        try await app.handle(scope: makeScope(.websocket, path: "/ws"), receive: connection.receive, send: connection.send)
        #expect(connection.sent == [.websocketAccept(), .websocketSend(.text("hi"))])
    }

    @Test("websocket on another path is refused before accept (403)")
    func webSocketElsewhere() async throws {
        let app = self.makeApp()
        let connection = FakeConnection(inbound: [.websocketConnect], scopeType: .websocket)
        try await app.handle(scope: makeScope(.websocket, path: "/chat"), receive: connection.receive, send: connection.send)
        #expect(connection.sent == [.websocketClose()])
    }

    @Test("sse /events ticks")
    func sseClock() async throws {
        let app = self.makeApp()
        let connection = LiveConnection(scopeType: .sse) { sent in
            sseMessages(sent).count == 2 ? [.sseDisconnect(reason: .clientClosed)] : []
        }
        try await app.handle(scope: makeScope(.sse, path: "/events"), receive: connection.receive, send: connection.send)
        #expect(connection.sent.first == .sseStart())
        #expect(sseMessages(connection.sent).prefix(2).map(\.id) == ["1", "2"])
    }

    @Test("sse on another path is declined with 404, which stops EventSource reconnecting")
    func sseElsewhere() async throws {
        let app = self.makeApp()
        let connection = FakeConnection(inbound: [.sseRequest(body: ByteBuffer(), more: false)], scopeType: .sse)
        try await app.handle(scope: makeScope(.sse, path: "/other"), receive: connection.receive, send: connection.send)
        guard case .sseHTTPResponseStart(let status, let headers)? = connection.sent.first,
            case .sseHTTPResponseBody(let body, let more)? = connection.sent.last, connection.sent.count == 2
        else {
            Issue.record("expected a decline start and one body: \(connection.sent)")
            return
        }
        #expect(status == 404)
        #expect(!more)
        #expect(headers.first(name: "content-length") == String(body.readableBytes))
    }

    @Test(
        "lifespan is accepted and tells the page which worker it is",
        arguments: [(Int?.some(3), "worker 3"), (nil, "single process")]
    )
    func lifespan(workerNumber: Int?, expected: String) async throws {
        let app = self.makeApp()
        let connection = FakeConnection(inbound: [.lifespanStartup, .lifespanShutdown], scopeType: .lifespan)
        let scope = PAGIScope.lifespan(LifespanScope(isWorker: workerNumber != nil, workerNumber: workerNumber))
        try await app.handle(scope: scope, receive: connection.receive, send: connection.send)
        #expect(connection.sent == [.lifespanStartupComplete, .lifespanShutdownComplete])
        #expect(try await self.get(app).text.contains(#"<dd id="server-worker">\#(expected)</dd>"#))
    }

    @Test("the public app serves the page with the given version")
    func publicApp() async throws {
        let response = try await respond(PAGIApps.welcome(PAGIWelcomeConfiguration(serverVersion: "v-test")), makeScope())
        #expect(response.status == 200)
        #expect(response.text.contains(#"<dd id="server-version">v-test</dd>"#))
    }
}
