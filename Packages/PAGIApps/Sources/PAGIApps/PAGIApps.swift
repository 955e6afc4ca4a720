public import PAGI

/// The built-in applications: small, fast PAGI apps for smoke tests, benchmarks and serving files.
///
/// Each is an ordinary ``PAGI/PAGIApp`` value. All of them handle `http` scopes only and throw
/// ``PAGI/PAGIUnsupportedScopeError`` for any other scope type — for the lifespan scope that is
/// how an application declines lifespan.
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
}
