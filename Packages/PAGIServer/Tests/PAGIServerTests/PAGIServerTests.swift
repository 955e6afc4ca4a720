import NIOCore
import PAGI
import Synchronization
import Testing

@testable import PAGIServer

@Suite("PAGIServer (in-process, loopback)", .serialized)
struct PAGIServerTests {
    static let hello: PAGIApp = { _, _, send in
        try await send(.httpResponseStart(status: 200, headers: [("content-type", "text/plain")]))
        try await send(.httpResponseBody(.text("Hello, World!")))
    }

    @Test("a single-body response gets a computed content-length and keeps the connection")
    func computedLength() async throws {
        try await withServer(Self.hello) { _, port in
            let client = try TestClient(port: port)
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let first = await client.read { $0.hasSuffix("Hello, World!") }
            #expect(first.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(first.contains("content-length: 13\r\n"))
            #expect(first.contains("date: "))
            #expect(!first.contains("transfer-encoding"))
            client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let second = await client.read()
            #expect(second.contains("connection: close\r\n"))
            #expect(second.hasSuffix("Hello, World!"))
        }
    }

    @Test("a streamed response is chunked and ends with the last chunk and trailers")
    func chunkedWithTrailers() async throws {
        let app: PAGIApp = { _, _, send in
            try await send(.httpResponseStart(status: 200, headers: [("x-a", "1")], trailers: true))
            try await send(.httpResponseBody(.text("ab"), more: true))
            try await send(.httpResponseBody(.text("cde"), more: false))
            try await send(.httpResponseTrailers(headers: [("x-checksum", "42")]))
        }
        try await withServer(app) { _, port in
            let response = try await exchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(response.contains("transfer-encoding: chunked\r\n"))
            #expect(response.hasSuffix("\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\nx-checksum: 42\r\n\r\n"))
        }
    }

    @Test("HEAD, 204 and 304 carry no body and no chunked framing")
    func bodiless() async throws {
        let app: PAGIApp = { scope, _, send in
            let status = scope.request?.path == "/204" ? 204 : (scope.request?.path == "/304" ? 304 : 200)
            try await send(.httpResponseStart(status: status, headers: [("content-type", "text/plain")]))
            try await send(.httpResponseBody(.text("body"), more: false))
        }
        try await withServer(app) { _, port in
            let head = try await exchange(port: port, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(head.hasSuffix("\r\n\r\n"))
            #expect(!head.contains("body"))
            for path in ["/204", "/304"] {
                let response = try await exchange(port: port, "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(response.hasSuffix("\r\n\r\n"))
                #expect(!response.contains("transfer-encoding"))
            }
        }
    }

    @Test("an application that throws before starting gets a 500 and the connection closes")
    func throwsBeforeStart() async throws {
        struct Boom: Error {}
        let app: PAGIApp = { _, _, _ in throw Boom() }
        try await withServer(app) { _, port in
            let response = try await exchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
            #expect(response.hasSuffix("Internal Server Error"))
        }
    }

    @Test("the no-response back-stop: an application returning silently gets a 500 and server_error")
    func backstop() async throws {
        let reason = Mutex<PAGIDisconnectReason?>(nil)
        let app: PAGIApp = { scope, _, _ in
            guard case .http(let http) = scope else { return }
            http.connection.onDisconnect { value in reason.withLock { $0 = value } }
        }
        try await withServer(app) { _, port in
            let response = try await exchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 500 "))
        }
        #expect(reason.withLock { $0 } == .serverError)
    }

    @Test("an application that throws after the response started aborts the connection")
    func throwsAfterStart() async throws {
        struct Boom: Error {}
        let app: PAGIApp = { _, _, send in
            try await send(.httpResponseStart(status: 200))
            try await send(.httpResponseBody(.text("partial"), more: true))
            throw Boom()
        }
        try await withServer(app) { _, port in
            let response = try await exchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(response.hasSuffix("7\r\npartial\r\n"))
        }
    }

    @Test("Expect: 100-continue is answered only when the application first calls receive")
    func expectContinue() async throws {
        let app: PAGIApp = { _, receive, send in
            var total = 0
            while case .httpRequest(let body, let more) = try await receive() {
                total += body.readableBytes
                if !more { break }
            }
            try await send(.httpResponseStart(status: 200))
            try await send(.httpResponseBody(.text("got \(total)")))
        }
        try await withServer(app) { _, port in
            let client = try TestClient(port: port)
            client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = await client.read { $0.hasSuffix("\r\n\r\n") }
            #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
            client.send("hello")
            let final = await client.read { $0.hasSuffix("got 5") }
            #expect(final.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
    }

    @Test("a cancelled receive throws CancellationError and the next receive still gets the body")
    func cancelledReceive() async throws {
        let outcome = Mutex<[String]>([])
        let app: PAGIApp = { scope, receive, send in
            guard case .http = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            // Waits for a body the client only sends after `100 Continue`, i.e. after this receive began.
            // A child task, so it runs on the connection's loop like the application itself.
            await withTaskGroup(of: Result<PAGIInboundEvent, any Error>.self) { group in
                group.addTask {
                    do { return .success(try await receive()) } catch { return .failure(error) }
                }
                group.cancelAll()
                switch await group.next() {
                case .failure(let error)?: outcome.withLock { $0.append(error is CancellationError ? "cancelled" : "\(error)") }
                case .success(let event)?: outcome.withLock { $0.append("got \(event.type)") }
                case nil: outcome.withLock { $0.append("no result") }
                }
            }
            guard case .httpRequest(let body, _) = try await receive() else { throw PAGIUnsupportedScopeError(.http) }
            try await send(.httpResponseStart(status: 200))
            try await send(.httpResponseBody(.bytes(body)))
        }
        try await withServer(app) { _, port in
            let client = try TestClient(port: port)
            client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = await client.read { $0.hasSuffix("\r\n\r\n") }
            #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
            client.send("hello")
            let final = await client.read { $0.hasSuffix("hello") }
            #expect(final.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
        #expect(outcome.withLock { $0 } == ["cancelled"])
    }

    @Test("a chunked request body is de-chunked for the application")
    func chunkedRequest() async throws {
        let app: PAGIApp = { _, receive, send in
            var body = ByteBuffer()
            while case .httpRequest(var part, let more) = try await receive() {
                body.writeBuffer(&part)
                if !more { break }
            }
            try await send(.httpResponseStart(status: 200))
            try await send(.httpResponseBody(.bytes(body)))
        }
        try await withServer(app) { _, port in
            let response = try await exchange(
                port: port,
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
            )
            #expect(response.hasSuffix("\r\n\r\nabcde"))
        }
    }

    @Test("the lifespan state reaches request scopes as a copy")
    func lifespanState() async throws {
        let app: PAGIApp = { scope, receive, send in
            switch scope {
            case .lifespan(let lifespan):
                _ = try await receive()
                lifespan.state["greeting"] = "from startup"
                try await send(.lifespanStartupComplete)
                _ = try await receive()
                try await send(.lifespanShutdownComplete)
            case .http(let http):
                let greeting = http.state["greeting"] as? String ?? "none"
                try await send(.httpResponseStart(status: 200))
                try await send(.httpResponseBody(.text(greeting)))
            default:
                throw PAGIUnsupportedScopeError(scope.type)
            }
        }
        try await withServer(app) { _, port in
            let response = try await exchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(response.hasSuffix("from startup"))
        }
    }

    @Test("lifespan startup failure: run throws and nothing is bound")
    func lifespanFailure() async throws {
        let app: PAGIApp = { _, receive, send in
            _ = try await receive()
            try await send(.lifespanStartupFailed(message: "no database"))
        }
        var configuration = PAGIServerConfiguration()
        configuration.listeners = [.tcp(host: "127.0.0.1", port: 0)]
        configuration.quiet = true
        let server = PAGIServer(configuration: configuration, app: app)
        await #expect(throws: PAGIServerError.self) { try await server.run() }
        #expect(server.boundAddresses.isEmpty)
    }

    @Test("graceful shutdown lets an in-flight request finish, then run returns")
    func gracefulShutdown() async throws {
        let release = AsyncStream<Void>.makeStream()
        let entered = AsyncStream<Void>.makeStream()
        let app: PAGIApp = { scope, _, send in
            guard case .http = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            entered.continuation.yield()
            var iterator = release.stream.makeAsyncIterator()
            await iterator.next()
            try await send(.httpResponseStart(status: 200))
            try await send(.httpResponseBody(.text("finished")))
        }
        try await withServer(app) { server, port in
            let client = try TestClient(port: port)
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            var enteredIterator = entered.stream.makeAsyncIterator()
            await enteredIterator.next()
            server.shutdownGracefully()
            release.continuation.yield()
            // read() returns at EOF: the server closed the connection after the response.
            let response = await client.read()
            #expect(response.hasSuffix("finished"))
        }
    }

    @Test("max_connections: the connection above the cap gets the exact 503 and is closed")
    func atCapacity() async throws {
        try await withServer(Self.hello, configure: { $0.limits.maxConnections = 1 }) { _, port in
            let first = try TestClient(port: port)
            first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = await first.read { $0.hasSuffix("Hello, World!") }
            let second = try await exchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(
                second
                    == "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 46\r\nConnection: close\r\nRetry-After: 5\r\n\r\n503 Service Unavailable - Server at capacity\r\n"
            )
            first.close()
        }
    }

    @Test("a client that goes away mid-request: receive returns http.disconnect and the reason is client_closed")
    func clientDisconnect() async throws {
        let outcome = AsyncStream<(PAGIInboundEvent, PAGIDisconnectReason?)>.makeStream()
        let app: PAGIApp = { scope, receive, _ in
            guard case .http(let http) = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            var event = try await receive()
            while case .httpRequest = event { event = try await receive() }
            outcome.continuation.yield((event, http.connection.disconnectReason))
        }
        try await withServer(app) { _, port in
            let client = try TestClient(port: port)
            client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial")
            try await Task.sleep(for: .milliseconds(50))
            client.close()
            var iterator = outcome.stream.makeAsyncIterator()
            let result = await iterator.next()
            #expect(result?.0 == .httpDisconnect)
            #expect(result?.1 == .clientClosed)
        }
    }

    @Test("back-pressure: sends suspend above the high-water mark and every byte still arrives")
    func backpressure() async throws {
        let highWaterSeen = Mutex(false)
        let part = ByteBuffer(repeating: UInt8(ascii: "x"), count: 65536)
        let app: PAGIApp = { scope, _, send in
            guard case .http(let http) = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            http.transport?.onHighWater { highWaterSeen.withLock { $0 = true } }
            try await send(.httpResponseStart(status: 200, headers: [("content-length", String(64 * 65536))]))
            for index in 0..<64 {
                try await send(.httpResponseBody(.bytes(part), more: index < 63))
            }
        }
        try await withServer(app) { _, port in
            let client = try TestClient(port: port)
            client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            // Not reading for a moment fills the socket buffers, so the server's queue grows.
            try await Task.sleep(for: .milliseconds(300))
            let response = await client.read()
            #expect(response.hasSuffix(String(repeating: "x", count: 100)))
            let body = response.split(separator: "\r\n\r\n", maxSplits: 1).last ?? ""
            #expect(body.utf8.count == 64 * 65536)
        }
        #expect(highWaterSeen.withLock { $0 })
    }

    @Test("the request stall timeout closes a request whose body stops arriving, with client_timeout")
    func stallTimeout() async throws {
        let outcome = AsyncStream<PAGIDisconnectReason?>.makeStream()
        let app: PAGIApp = { scope, receive, _ in
            guard case .http(let http) = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            while case .httpRequest = try await receive() {}
            outcome.continuation.yield(http.connection.disconnectReason)
        }
        try await withServer(app, configure: { $0.timeouts.requestStall = .milliseconds(200) }) { _, port in
            let client = try TestClient(port: port)
            client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            var iterator = outcome.stream.makeAsyncIterator()
            #expect(await iterator.next() == .clientTimeout)
            #expect(await client.read() == "")
        }
    }

    @Test("HTTP/1.0 without a length: close-delimited body and connection: close")
    func http10() async throws {
        let app: PAGIApp = { _, _, send in
            try await send(.httpResponseStart(status: 200))
            try await send(.httpResponseBody(.text("a"), more: true))
            try await send(.httpResponseBody(.text("b"), more: false))
        }
        try await withServer(app) { _, port in
            let response = try await exchange(port: port, "GET / HTTP/1.0\r\n\r\n")
            #expect(response.hasPrefix("HTTP/1.0 200 OK\r\n"))
            #expect(response.contains("connection: close\r\n"))
            #expect(!response.contains("transfer-encoding"))
            #expect(response.hasSuffix("\r\n\r\nab"))
        }
    }
}
