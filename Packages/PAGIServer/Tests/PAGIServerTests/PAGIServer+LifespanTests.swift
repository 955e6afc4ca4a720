import PAGI
import Synchronization
import Testing

@testable import PAGIServer

@Suite("PAGIServer lifespan and shutdown logging", .serialized)
struct PAGIServerLifespanLoggingTests {
    /// Collects the server's log lines.
    final class LogCapture: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { self.lines.withLock { $0 } }
        func append(_ line: String) { self.lines.withLock { $0.append(line) } }
        func count(containing text: String) -> Int { self.all.filter { $0.contains(text) }.count }
    }

    /// Runs `app` on a loopback port until startup fails or, once listening, until a graceful
    /// shutdown has completed; returns the captured log.
    static func run(_ app: @escaping PAGIApp, shutdownTimeout: Duration = .seconds(5)) async throws -> LogCapture {
        var configuration = PAGIServerConfiguration()
        configuration.listeners = [.tcp(host: "127.0.0.1", port: 0)]
        configuration.accessLog = .off
        configuration.logLevel = .debug
        configuration.timeouts.shutdown = shutdownTimeout
        let capture = LogCapture()
        let server = PAGIServer(configuration: configuration, app: app, logSink: { capture.append($0) })
        let running = Task { try await server.run() }
        if (try? await server.waitUntilListening()) != nil {
            server.shutdownGracefully()
        }
        _ = try? await value(of: running, within: .seconds(10))
        return capture
    }

    /// A lifespan app answering startup, then `shutdown` for the shutdown phase (or nothing when nil).
    static func app(shutdown answer: PAGIOutboundEvent?) -> PAGIApp {
        { scope, receive, send in
            guard case .lifespan = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            _ = try await receive()
            try await send(.lifespanStartupComplete)
            _ = try await receive()
            if let answer {
                try await send(answer)
            } else {
                _ = try await receive()   // never answers: parks until the server gives up
            }
        }
    }

    @Test("lifespan.shutdown.failed is logged once, as the driver's shutdown warning")
    func shutdownFailedOnce() async throws {
        let log = try await Self.run(Self.app(shutdown: .lifespanShutdownFailed(message: "cache flush failed")))
        #expect(log.count(containing: "PAGI Server shutdown warning: cache flush failed") == 1, "\(log.all)")
        #expect(log.count(containing: "shutdown warning") == 1, "\(log.all)")
    }

    @Test("a lifespan shutdown timeout is logged once")
    func shutdownTimeoutOnce() async throws {
        let log = try await Self.run(Self.app(shutdown: nil), shutdownTimeout: .milliseconds(200))
        #expect(log.count(containing: "PAGI Server shutdown warning: Lifespan shutdown timed out") == 1, "\(log.all)")
        #expect(log.count(containing: "shutdown warning") == 1, "\(log.all)")
    }

    @Test("an application ending without shutdown.complete is logged once")
    func applicationEndedOnce() async throws {
        let app: PAGIApp = { _, receive, send in
            _ = try await receive()
            try await send(.lifespanStartupComplete)
            _ = try await receive()
        }
        let log = try await Self.run(app)
        #expect(log.count(containing: "shutdown warning") == 1, "\(log.all)")
    }

    @Test("a clean lifespan shutdown logs no warning")
    func cleanShutdown() async throws {
        let log = try await Self.run(Self.app(shutdown: .lifespanShutdownComplete))
        #expect(log.count(containing: "shutdown warning") == 0, "\(log.all)")
        #expect(log.count(containing: "PAGI Server listening on") == 1)
    }

    @Test("the shutdown timeout warning names the force-closed connections; a clean drain logs none")
    func forceCloseWarning() async throws {
        var configuration = PAGIServerConfiguration()
        configuration.listeners = [.tcp(host: "127.0.0.1", port: 0)]
        configuration.accessLog = .off
        configuration.timeouts.shutdown = .milliseconds(200)
        let capture = LogCapture()
        let entered = AsyncStream<Void>.makeStream()
        let app: PAGIApp = { scope, receive, _ in
            guard case .http = scope else { return }
            _ = try await receive()
            entered.continuation.yield()
            _ = try await receive()
        }
        let server = PAGIServer(configuration: configuration, app: app, logSink: { capture.append($0) })
        let running = Task { try await server.run() }
        guard case .tcp(_, let port) = try await server.waitUntilListening().first else {
            Issue.record("no TCP listener")
            return
        }
        let client = try TestClient(port: port)
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        var iterator = entered.stream.makeAsyncIterator()
        await iterator.next()
        server.shutdownGracefully()
        try await value(of: running, within: .seconds(10))
        #expect(capture.count(containing: "Shutdown timeout: force-closing 1 active connections") == 1, "\(capture.all)")
        #expect(capture.count(containing: "Shutdown cancelled") == 0)

        let clean = try await Self.run(Self.app(shutdown: .lifespanShutdownComplete))
        #expect(clean.count(containing: "force-closing") == 0, "\(clean.all)")
    }

    @Test("lifespan.startup.failed is logged once")
    func startupFailedOnce() async throws {
        let app: PAGIApp = { _, receive, send in
            _ = try await receive()
            try await send(.lifespanStartupFailed(message: "no database"))
        }
        let log = try await Self.run(app)
        #expect(log.count(containing: "PAGI Server startup failed: no database") == 1, "\(log.all)")
        #expect(log.count(containing: "startup failed") == 1, "\(log.all)")
    }
}
