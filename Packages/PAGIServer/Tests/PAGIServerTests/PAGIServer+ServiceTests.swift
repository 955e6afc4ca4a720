import Logging
import PAGI
import ServiceLifecycle
import Synchronization
import Testing

@testable import PAGIServer

@Suite("PAGIServer as a swift-service-lifecycle Service", .serialized)
struct PAGIServerServiceTests {
    /// Records the lifespan events the application saw.
    final class LifespanLog: Sendable {
        let events = Mutex<[String]>([])
        var snapshot: [String] { self.events.withLock { $0 } }
        func append(_ event: String) { self.events.withLock { $0.append(event) } }
    }

    /// Answers "Hello, World!" and records lifespan startup/shutdown in `log`.
    static func hello(_ log: LifespanLog) -> PAGIApp {
        { scope, receive, send in
            switch scope {
            case .lifespan:
                guard case .lifespanStartup = try await receive() else { return }
                log.append("startup")
                try await send(.lifespanStartupComplete)
                guard case .lifespanShutdown = try await receive() else { return }
                log.append("shutdown")
                try await send(.lifespanShutdownComplete)
            case .http:
                try await send(.httpResponseStart(status: 200, headers: [("content-type", "text/plain")]))
                try await send(.httpResponseBody(.text("Hello, World!")))
            default:
                throw PAGIUnsupportedScopeError(scope.type)
            }
        }
    }

    static func server(_ app: @escaping PAGIApp, shutdownTimeout: Duration = .seconds(30)) -> PAGIServer {
        var configuration = PAGIServerConfiguration()
        configuration.listeners = [.tcp(host: "127.0.0.1", port: 0)]
        configuration.accessLog = .off
        configuration.quiet = true
        configuration.timeouts.shutdown = shutdownTimeout
        return PAGIServer(configuration: configuration, app: app)
    }

    static func port(of server: PAGIServer) async throws -> Int {
        let addresses = try await server.waitUntilListening()
        guard case .tcp(_, let port) = addresses.first else { throw TestClientError("no TCP listener in \(addresses)") }
        return port
    }

    @Test("in a ServiceGroup: serves a loopback request; the group's graceful shutdown stops it after lifespan shutdown")
    func servesInServiceGroup() async throws {
        let log = LifespanLog()
        let server = Self.server(Self.hello(log))
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let port = try await Self.port(of: server)
        let response = try await exchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.hasSuffix("Hello, World!"))
        #expect(log.snapshot == ["startup"])

        await group.triggerGracefulShutdown()
        try await value(of: running, within: .seconds(10))
        #expect(log.snapshot == ["startup", "shutdown"])
        // The listener is closed: a new connection is refused.
        #expect(throws: TestClientError.self) { try TestClient(port: port) }
    }

    @Test("the group's graceful shutdown lets an in-flight request finish, then closes its connection")
    func gracefulShutdownDrainsInFlight() async throws {
        let entered = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let app: PAGIApp = { scope, _, send in
            guard case .http = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            entered.continuation.yield()
            var iterator = release.stream.makeAsyncIterator()
            await iterator.next()
            try await send(.httpResponseStart(status: 200))
            try await send(.httpResponseBody(.text("finished")))
        }
        let server = Self.server(app)
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let port = try await Self.port(of: server)
        let client = try TestClient(port: port)
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        var enteredIterator = entered.stream.makeAsyncIterator()
        await enteredIterator.next()

        await group.triggerGracefulShutdown()
        release.continuation.yield()
        // The response arrives whole, then the server closes the connection (read() returns at
        // EOF, well before its 10 s receive timeout) instead of keeping it alive.
        let start = ContinuousClock.now
        let response = await client.read()
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.hasSuffix("finished"))
        try await value(of: running, within: .seconds(10))
    }

    @Test("shutdown timeout: a request still in flight is force-closed and run returns")
    func shutdownTimeoutForceCloses() async throws {
        let entered = AsyncStream<Void>.makeStream()
        let app: PAGIApp = { scope, receive, _ in
            guard case .http = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            _ = try await receive()          // the (empty) request body
            entered.continuation.yield()
            _ = try await receive()          // suspends until the connection goes away
        }
        let server = Self.server(app, shutdownTimeout: .milliseconds(300))
        let running = Task { try await server.run() }
        let port = try await Self.port(of: server)
        let client = try TestClient(port: port)
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        var enteredIterator = entered.stream.makeAsyncIterator()
        await enteredIterator.next()

        let start = ContinuousClock.now
        server.shutdownGracefully()
        try await value(of: running, within: .seconds(10))
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        let response = await client.read()
        #expect(response.isEmpty, "force-closed without a response, got \(response)")
    }

    @Test("cancelling the group's task stops the server at once, force-closing in-flight requests")
    func cancellationStops() async throws {
        let entered = AsyncStream<Void>.makeStream()
        let app: PAGIApp = { scope, receive, _ in
            guard case .http = scope else { return }   // lifespan: declined (returns)
            _ = try await receive()
            entered.continuation.yield()
            _ = try await receive()
        }
        let server = Self.server(app)   // shutdown timeout 30 s: cancellation must not wait for it
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        let port = try await Self.port(of: server)
        let client = try TestClient(port: port)
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        var enteredIterator = entered.stream.makeAsyncIterator()
        await enteredIterator.next()

        let start = ContinuousClock.now
        running.cancel()
        _ = try? await value(of: running, within: .seconds(10))
        #expect(ContinuousClock.now - start < .seconds(10))
        let response = await client.read()
        #expect(response.isEmpty)
    }

    @Test("waitUntilListening throws the run's error when lifespan startup fails")
    func waitUntilListeningFails() async throws {
        let app: PAGIApp = { _, receive, send in
            _ = try await receive()
            try await send(.lifespanStartupFailed(message: "no database"))
        }
        let server = Self.server(app)
        let running = Task { try await server.run() }
        let error = await #expect(throws: PAGIServerError.self) { try await server.waitUntilListening() }
        #expect(error?.code == .lifespanStartupFailed)
        await #expect(throws: PAGIServerError.self) { try await value(of: running, within: .seconds(10)) }
        // A second waiter after the fact gets the same answer at once.
        await #expect(throws: PAGIServerError.self) { try await server.waitUntilListening() }
    }
}

/// The value of `task`, or `TestClientError` when it is not done within `limit` (the task is
/// then cancelled and left behind, so a hang fails the test instead of the whole run).
@discardableResult
func value<T: Sendable>(of task: Task<T, any Error>, within limit: Duration) async throws -> T {
    let outcome = AsyncStream<Result<T, any Error>>.makeStream()
    let waiter = Task {
        outcome.continuation.yield(await task.result)
    }
    let timer = Task {
        try? await Task.sleep(for: limit)
        outcome.continuation.yield(.failure(TestClientError("not done within \(limit)")))
    }
    var iterator = outcome.stream.makeAsyncIterator()
    let first = await iterator.next() ?? .failure(TestClientError("no outcome"))
    timer.cancel()
    waiter.cancel()
    if case .failure(let error as TestClientError) = first {
        task.cancel()
        throw error
    }
    return try first.get()
}
