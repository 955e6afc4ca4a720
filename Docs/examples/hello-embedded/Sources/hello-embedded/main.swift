import PAGI
import PAGIServer
import PAGIServerCLI
import Logging
import ServiceLifecycle
import UnixSignals

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

// Three ways to run it:
// 1. The full pagi-server command line around this app (what this example does by default):
//      swift run hello-embedded --port 8080 --access-log off
// 2. Programmatically, with your own configuration (pass --programmatic as the first argument).
// 3. As a swift-service-lifecycle Service next to your other services (pass --service-group):
//    the ServiceGroup owns SIGTERM/SIGINT and drains the server on either.
// Both 2 and 3 take an optional port as the second argument (default 8080; 0 picks a free one).
let arguments = Array(CommandLine.arguments.dropFirst())
let port = arguments.dropFirst().first.flatMap { Int($0) } ?? 8080
var configuration = PAGIServerConfiguration()
configuration.listeners = [.tcp(host: "127.0.0.1", port: port)]
configuration.accessLog = .off

switch arguments.first {
case "--programmatic":
    let server = PAGIServer(configuration: configuration, app: app)
    try await server.run(handleSignals: true)
case "--service-group":
    let server = PAGIServer(configuration: configuration, app: app)
    let logger = Logger(label: "hello-embedded")
    let group = ServiceGroup(
        services: [server],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    )
    // A task of your own can learn the bound addresses once the listeners are up.
    Task {
        if let addresses = try? await server.waitUntilListening() {
            print("service group: serving on \(addresses.map(\.description).joined(separator: ", "))")
        }
    }
    try await group.run()
default:
    await PAGIServerCommand.main(app: app)
}
