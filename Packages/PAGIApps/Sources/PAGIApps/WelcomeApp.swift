#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import PAGI
import Synchronization

/// `welcome`: the demo page of `pagi-server` and `make run`.
///
/// | Scope | Path | Answer |
/// |---|---|---|
/// | http | `/` (GET, HEAD) | the HTML page; other methods `405` |
/// | websocket | `/ws` | `ws-echo` |
/// | sse | `/events` | `sse-ticker` at ``PAGIWelcomeConfiguration/tickInterval`` |
/// | http | `/ws`, `/events` | `426` / `406` with a hint, as the standalone apps answer |
/// | http | anything else | `404` |
/// | websocket | anything else | `websocket.close` before accept: a `403` |
/// | sse | anything else | declined with `404` (`sse.http.response.*`) |
/// | lifespan | — | accepted; records the worker number the page shows |
final class WelcomeApp<TickClock: Clock<Duration> & Sendable>: Sendable {
    /// What the lifespan scope told the app about its process.
    enum Worker: Sendable, Hashable {
        /// No lifespan scope ran (lifespan disabled on the server).
        case unknown
        case singleProcess
        case number(Int)

        var text: String {
            switch self {
            case .unknown: "not reported (lifespan off)"
            case .singleProcess: "single process"
            case .number(let number): "worker \(number)"
            }
        }
    }

    static var notFoundBody: String { "Not found. The welcome app serves /, /ws (WebSocket) and /events (SSE).\n" }
    static var methodNotAllowedBody: String { "Method not allowed: use GET or HEAD.\n" }

    let configuration: PAGIWelcomeConfiguration
    let ticker: SSETickerApp<TickClock>
    private let worker = Mutex<Worker>(.unknown)
    private let uptime: @Sendable () -> Duration

    init(configuration: PAGIWelcomeConfiguration, clock: TickClock, now: @escaping @Sendable () -> Int64 = SSETickerWallClock.now) {
        self.configuration = configuration
        self.ticker = SSETickerApp(interval: configuration.tickInterval, clock: clock, now: now)
        let started = clock.now
        self.uptime = { started.duration(to: clock.now) }
    }

    func handle(scope: PAGIScope, receive: @escaping PAGIReceive, send: @escaping PAGISend) async throws {
        switch scope {
        case .http(let http):
            try await self.answerHTTP(http.request, send: send)
        case .websocket(let websocket):
            if websocket.request.path == "/ws" {
                try await WebSocketEchoApp.echo(receive: receive, send: send)
            } else {
                guard case .websocketConnect = try await receive() else { return }
                try await send(.websocketClose())
            }
        case .sse(let sse):
            if sse.request.path == "/events" {
                try await self.ticker.stream(headers: sse.request.headers, receive: receive, send: send)
            } else {
                try await Self.declineSSE(send: send)
            }
        case .lifespan(let lifespan):
            try await self.runLifespan(lifespan, receive: receive, send: send)
        }
    }

    var facts: WelcomePage.Facts {
        WelcomePage.Facts(
            serverVersion: self.configuration.serverVersion,
            pid: getpid(),
            worker: self.worker.withLock { $0 }.text,
            uptime: WelcomePage.formatUptime(seconds: self.uptime().components.seconds)
        )
    }

    private func answerHTTP(_ request: PAGIRequestInfo, send: PAGISend) async throws {
        switch request.path.text {
        case "/":
            guard request.method == "GET" || request.method == "HEAD" else {
                try await Self.respondText(405, Self.methodNotAllowedBody, extraHeaders: [("allow", "GET, HEAD")], send: send)
                return
            }
            let page = ByteBuffer(string: WelcomePage.render(self.facts))
            try await send(
                .httpResponseStart(
                    status: 200,
                    headers: [
                        ("content-type", "text/html; charset=utf-8"), ("content-length", String(page.readableBytes)),
                        ("cache-control", "no-store"),
                    ]
                )
            )
            try await send(.httpResponseBody(.bytes(request.method == "HEAD" ? ByteBuffer() : page)))
        case "/ws":
            try await WebSocketEchoApp.answerUpgradeRequired(send: send)
        case "/events":
            try await SSETickerApp<TickClock>.answerNotAcceptable(send: send)
        default:
            try await Self.respondText(404, Self.notFoundBody, send: send)
        }
    }

    private static func declineSSE(send: PAGISend) async throws {
        // A non-200 decline also stops an EventSource from reconnecting (protocol §8.4).
        try await send(
            .sseHTTPResponseStart(
                status: 404,
                headers: [("content-type", "text/plain; charset=utf-8"), ("content-length", String(Self.notFoundBody.utf8.count))]
            )
        )
        try await send(.sseHTTPResponseBody(ByteBuffer(string: Self.notFoundBody)))
    }

    private static func respondText(_ status: Int, _ body: String, extraHeaders: PAGIHeaders = [], send: PAGISend) async throws {
        var headers: PAGIHeaders = [("content-type", "text/plain; charset=utf-8"), ("content-length", String(body.utf8.count))]
        for field in extraHeaders {
            headers.add(name: field.name, value: field.value)
        }
        try await send(.httpResponseStart(status: status, headers: headers))
        try await send(.httpResponseBody(.text(body)))
    }

    private func runLifespan(_ lifespan: LifespanScope, receive: PAGIReceive, send: PAGISend) async throws {
        while true {
            switch try await receive() {
            case .lifespanStartup:
                let worker: Worker = lifespan.workerNumber.map { .number($0) } ?? .singleProcess
                self.worker.withLock { $0 = worker }
                try await send(.lifespanStartupComplete)
            case .lifespanShutdown:
                try await send(.lifespanShutdownComplete)
                return
            default:
                continue
            }
        }
    }
}
