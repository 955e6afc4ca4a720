import PAGI
import PAGIServer
import PAGIServerCLI

/// The application: greets by path, counts requests in lifespan state.
let app: PAGIApp = { scope, receive, send in
    switch scope {
    case .lifespan(let lifespan):
        // Startup: share one counter with every request scope, then wait for shutdown.
        guard case .lifespanStartup = try await receive() else { return }
        lifespan.state["counter"] = RequestCounter()
        try await send(.lifespanStartupComplete)
        guard case .lifespanShutdown = try await receive() else { return }
        try await send(.lifespanShutdownComplete)
    case .http(let http):
        let count = (http.state["counter"] as? RequestCounter)?.next() ?? 0
        let body = "Hello from \(http.path), request #\(count)\n"
        try await send(.httpResponseStart(status: 200, headers: [("content-type", "text/plain; charset=utf-8")]))
        try await send(.httpResponseBody(.text(body)))
    default:
        throw PAGIUnsupportedScopeError(scope.type)
    }
}

// Two ways to run it:
// 1. The full pagi-server command line around this app (what this example does):
//      swift run hello-embedded --port 8080 --access-log off
// 2. Programmatically, with your own configuration (pass --programmatic as the first argument):
if CommandLine.arguments.dropFirst().first == "--programmatic" {
    var configuration = PAGIServerConfiguration()
    configuration.listeners = [.tcp(host: "127.0.0.1", port: 8080)]
    configuration.accessLog = .off
    let server = PAGIServer(configuration: configuration, app: app)
    try await server.run(handleSignals: true)
} else {
    await PAGIServerCommand.main(app: app)
}
