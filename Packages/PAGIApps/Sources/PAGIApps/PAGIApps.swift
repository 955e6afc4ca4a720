public import PAGI

/// The built-in applications: small, fast PAGI apps for smoke tests, benchmarks and serving files.
///
/// Each is an ordinary ``PAGI/PAGIApp`` value. `hello`, `echo` and `staticFiles` handle `http`
/// scopes only; `webSocketEcho` and `sseTicker` their own scope type (plus a hinting `http`
/// answer); `welcome` every scope type. The apps throw ``PAGI/PAGIUnsupportedScopeError`` for any
/// other scope type — for the lifespan scope that is how an application declines lifespan.
public enum PAGIApps {
    /// Answers every request with `200`, `text/plain` and the 13 bytes `Hello, World!`.
    ///
    /// The response events are built once and reused: the app allocates nothing per request,
    /// which keeps it a fair benchmark of the server alone. It does not read the request body.
    public static var hello: PAGIApp { HelloApp.app }

    /// Answers every request with `200 application/json` describing what the server delivered
    /// (the echo contract of issue 8):
    ///
    /// ```json
    /// {"method":"POST","path":"/a b","raw_path":"/a%20b","query_string":"x=1","http_version":"1.1",
    ///  "headers":[["host","localhost"],["content-length","3"]],"body_length":3,
    ///  "body_sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}
    /// ```
    ///
    /// Keys come in exactly that order with no whitespace. `path` is the decoded path, `raw_path`
    /// and `query_string` the bytes as sent, `headers` every request header in received order with
    /// lower-case names, `body_length` the de-chunked body size and `body_sha256` its SHA-256 in
    /// lower-case hex. Bytes that are not valid UTF-8 (in `raw_path`, `query_string` or header
    /// values) are shown one character per byte (U+0000…U+00FF), the same rule
    /// ``PAGI/PAGIPath`` uses for `path`; the JSON itself is always valid UTF-8.
    public static var echo: PAGIApp { EchoApp.app }

    /// Serves the files under a directory; see ``PAGIStaticFilesConfiguration`` for the rules.
    ///
    /// - Parameter configuration: The root directory and options.
    /// - Returns: The application.
    /// - Throws: ``PAGIStaticFilesError`` when the root does not exist or is not a directory.
    public static func staticFiles(_ configuration: PAGIStaticFilesConfiguration) throws(PAGIStaticFilesError) -> PAGIApp {
        let app = try StaticFilesApp(configuration: configuration)
        return { scope, receive, send in
            try await app.handle(scope: scope, receive: receive, send: send)
        }
    }

    /// `ws-echo`: accepts every WebSocket and sends each message straight back with its type
    /// (text → text, binary → binary) until the peer disconnects. An `http` request gets
    /// `426 Upgrade Required`.
    public static var webSocketEcho: PAGIApp { WebSocketEchoApp.app }

    /// `sse-ticker`: one `tick` event per `interval` (the first at once) with an incrementing `id`
    /// and the current UTC time as `data` (`2026-11-22T06:30:05Z`). A numeric `Last-Event-ID`
    /// continues the count; otherwise ids start at 1. An `http` request (no
    /// `Accept: text/event-stream`) gets `406 Not Acceptable`.
    ///
    /// - Parameters:
    ///   - interval: The time between events; one second by default.
    ///   - clock: The clock that paces the events; tests pass one that does not really sleep.
    /// - Returns: The application.
    public static func sseTicker<TickClock: Clock<Duration> & Sendable>(
        interval: Duration = .seconds(1),
        clock: TickClock = ContinuousClock()
    ) -> PAGIApp {
        let app = SSETickerApp(interval: interval, clock: clock)
        return { scope, receive, send in
            try await app.handle(scope: scope, receive: receive, send: send)
        }
    }

    /// `welcome`: the demo page. `/` is an offline HTML page showing the server version, pid,
    /// worker and uptime, with a live WebSocket echo box (`/ws`, ``webSocketEcho``) and a live
    /// SSE clock (`/events`, ``sseTicker(interval:clock:)``) on the same server; other paths get
    /// `404` (or `403` / a declined stream for WebSocket and SSE). The app accepts the lifespan
    /// scope to learn its worker number.
    ///
    /// - Parameter configuration: The version text and clock interval.
    /// - Returns: The application.
    public static func welcome(_ configuration: PAGIWelcomeConfiguration = PAGIWelcomeConfiguration()) -> PAGIApp {
        let app = WelcomeApp(configuration: configuration, clock: ContinuousClock())
        return { scope, receive, send in
            try await app.handle(scope: scope, receive: receive, send: send)
        }
    }
}
