import Foundation
import NIOCore
import PAGI
import PAGIWebSocket
import Synchronization
import Testing

@testable import PAGIServer

/// A blocking WebSocket client for the in-process tests: the handshake as raw text, frames
/// through PAGIWebSocket (masked writer, client-role reader).
final class InProcessWebSocketClient: @unchecked Sendable {
    // Used by one test at a time; the descriptor is closed once.
    private var descriptor: Int32
    private var reader = WebSocketReader(role: .client)
    private var pending: [UInt8] = []

    init(port: Int) throws {
        self.descriptor = try connectToLoopback(port: port)
    }

    func send(_ bytes: [UInt8]) {
        sendAll(bytes, on: self.descriptor)
    }

    /// Sends the handshake and returns the response head (or the whole answer when it is not a 101).
    func handshake(extraHeaders: String = "") -> String {
        self.send(Array("GET /ws?x=1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extraHeaders)\r\n".utf8))
        while true {
            if let end = self.headEnd() {
                let head = String(decoding: self.pending[..<end], as: UTF8.self)
                self.pending.removeFirst(end)
                if !head.hasPrefix("HTTP/1.1 101") {
                    return head + String(decoding: self.pending, as: UTF8.self) + self.readRest()
                }
                return head
            }
            let more = self.receive()
            if more.isEmpty { return String(decoding: self.pending, as: UTF8.self) }
            self.pending += more
        }
    }

    private func readRest() -> String {
        var rest: [UInt8] = []
        while true {
            let more = self.receive()
            if more.isEmpty { return String(decoding: rest, as: UTF8.self) }
            rest += more
        }
    }

    private func headEnd() -> Int? {
        guard self.pending.count >= 4 else { return nil }
        for index in 0...(self.pending.count - 4)
        where self.pending[index] == 13 && self.pending[index + 1] == 10 && self.pending[index + 2] == 13 && self.pending[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    private func receive() -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(chunk[..<count]) : []
    }

    func sendFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8]) {
        var out: [UInt8] = []
        payload.withUnsafeBytes {
            WebSocketFrameSerializer.writeFrame(opcode: opcode, payload: $0, maskingKey: WebSocketMaskingKey(1, 2, 3, 4), into: &out)
        }
        self.send(out)
    }

    /// The next frame event, or `nil` when the server closed TCP.
    func next() async -> WebSocketInboundEvent? {
        await onBlockingThread { self.nextBlocking() }
    }

    private func nextBlocking() -> WebSocketInboundEvent? {
        while true {
            if !self.pending.isEmpty {
                let (consumed, event) = self.reader.read(self.pending)
                self.pending.removeFirst(consumed)
                if event != .needMoreData { return event }
            }
            let more = self.receive()
            if more.isEmpty { return nil }
            self.pending += more
        }
    }

    func close() {
        if self.descriptor >= 0 {
            Foundation.close(self.descriptor)
            self.descriptor = -1
        }
    }

    deinit { self.close() }
}

@Suite("PAGIServer websocket scopes (in-process)", .serialized)
struct WebSocketServingTests {
    @Test("accept with a subprotocol and extra headers; the scope carries ws, subprotocols and the denial extension")
    func acceptWithSubprotocol() async throws {
        let seen = Mutex<WebSocketScope?>(nil)
        let app: PAGIApp = { scope, receive, send in
            guard case .websocket(let ws) = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            seen.withLock { $0 = ws }
            _ = try await receive()
            try await send(.websocketAccept(subprotocol: "chat.v2", headers: [("x-room", "7")]))
            _ = try await receive()
        }
        try await withServer(app) { _, port in
            let client = try InProcessWebSocketClient(port: port)
            let head = await onBlockingThread { client.handshake(extraHeaders: "Sec-WebSocket-Protocol: chat.v1, chat.v2\r\n") }
            #expect(head.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
            #expect(head.contains("Sec-WebSocket-Protocol: chat.v2\r\n"))
            #expect(head.contains("x-room: 7\r\n"))
            client.close()
        }
        let scope = try #require(seen.withLock { $0 })
        #expect(scope.scheme == "ws")
        #expect(scope.subprotocols == ["chat.v1", "chat.v2"])
        #expect(scope.queryString == Array("x=1".utf8))
        #expect(scope.extensions.contains(PAGIExtensions.webSocketHTTPResponse))
    }

    @Test("websocket.close before accept answers 403 and the app gets no websocket.disconnect")
    func closeBeforeAccept() async throws {
        let app: PAGIApp = { scope, receive, send in
            guard scope.type == .websocket else { throw PAGIUnsupportedScopeError(scope.type) }
            _ = try await receive()
            try await send(.websocketClose())
        }
        try await withServer(app) { _, port in
            let client = try InProcessWebSocketClient(port: port)
            let answer = await onBlockingThread { client.handshake() }
            #expect(answer.hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
            #expect(answer.hasSuffix("Forbidden"))
        }
    }

    @Test("an app returning without an answer gets 403; one throwing before accept gets 500")
    func unansweredHandshake() async throws {
        struct Boom: Error {}
        let app: PAGIApp = { scope, receive, _ in
            guard scope.type == .websocket else { throw PAGIUnsupportedScopeError(scope.type) }
            _ = try await receive()
            if scope.request?.queryString == Array("x=1".utf8), scope.request?.headers.first(name: "x-throw") != nil { throw Boom() }
        }
        try await withServer(app) { _, port in
            let silent = try InProcessWebSocketClient(port: port)
            #expect(await onBlockingThread { silent.handshake() }.hasPrefix("HTTP/1.1 403 "))
            let throwing = try InProcessWebSocketClient(port: port)
            #expect(await onBlockingThread { throwing.handshake(extraHeaders: "X-Throw: 1\r\n") }.hasPrefix("HTTP/1.1 500 "))
        }
    }

    @Test("the websocket.http.response denial: the app's status, headers and body, then close")
    func denialResponse() async throws {
        let app: PAGIApp = { scope, receive, send in
            guard scope.type == .websocket else { throw PAGIUnsupportedScopeError(scope.type) }
            _ = try await receive()
            try await send(.websocketHTTPResponseStart(status: 401, headers: [("www-authenticate", "Bearer")]))
            try await send(.websocketHTTPResponseBody(ByteBuffer(string: "no "), more: true))
            try await send(.websocketHTTPResponseBody(ByteBuffer(string: "token"), more: false))
        }
        try await withServer(app) { _, port in
            let client = try InProcessWebSocketClient(port: port)
            let answer = await onBlockingThread { client.handshake() }
            #expect(answer.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
            #expect(answer.contains("www-authenticate: Bearer\r\n"))
            #expect(answer.contains("connection: close\r\n"))
            #expect(answer.hasSuffix("3\r\nno \r\n5\r\ntoken\r\n0\r\n\r\n"))
        }
    }

    @Test("app-initiated close: Close frame with the app's code, then the peer's answer reaches the app")
    func appClose() async throws {
        let disconnect = Mutex<PAGIInboundEvent?>(nil)
        let app: PAGIApp = { scope, receive, send in
            guard scope.type == .websocket else { throw PAGIUnsupportedScopeError(scope.type) }
            _ = try await receive()
            try await send(.websocketAccept())
            try await send(.websocketSend(.text("bye soon")))
            try await send(.websocketClose(code: 4000, reason: "done"))
            // Sends after close are no-ops (protocol §7.3).
            try await send(.websocketSend(.text("ignored")))
            let event = try await receive()
            disconnect.withLock { $0 = event }
        }
        try await withServer(app) { _, port in
            let client = try InProcessWebSocketClient(port: port)
            _ = await onBlockingThread { client.handshake() }
            #expect(await client.next() == .message(.text("bye soon")))
            #expect(await client.next() == .close(WebSocketClosePayload(code: WebSocketCloseCode(rawValue: 4000), reason: "done")))
            client.sendFrame(.close, [0x0F, 0xA0] + Array("done".utf8))
            #expect(await client.next() == nil)
        }
        #expect(disconnect.withLock { $0 } == .websocketDisconnect(code: 4000, reason: "done"))
    }

    @Test("a dropped connection reaches the app as 1006 client_closed; returning after accept sends Close 1000")
    func dropAndReturn() async throws {
        let events = Mutex<[PAGIInboundEvent]>([])
        let app: PAGIApp = { scope, receive, send in
            guard scope.type == .websocket else { throw PAGIUnsupportedScopeError(scope.type) }
            _ = try await receive()
            try await send(.websocketAccept())
            if scope.request?.path == "/ws" && scope.request?.headers.first(name: "x-return") != nil { return }
            let event = try await receive()
            events.withLock { $0.append(event) }
        }
        try await withServer(app) { _, port in
            let dropping = try InProcessWebSocketClient(port: port)
            _ = await onBlockingThread { dropping.handshake() }
            dropping.close()
            let returning = try InProcessWebSocketClient(port: port)
            _ = await onBlockingThread { returning.handshake(extraHeaders: "X-Return: 1\r\n") }
            #expect(await returning.next() == .close(WebSocketClosePayload(code: .normalClosure)))
            returning.sendFrame(.close, [0x03, 0xE8])
            #expect(await returning.next() == nil)
            // Wait (bounded) for the dropped connection's disconnect to reach the app.
            for _ in 0..<200 where events.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(events.withLock { $0 } == [.websocketDisconnect(code: 1006, reason: "client_closed")])
    }

    @Test("send before accept raises with the fix; receive hands messages in order")
    func sendBeforeAccept() async throws {
        let failure = Mutex<String?>(nil)
        let received = Mutex<[PAGIInboundEvent]>([])
        let app: PAGIApp = { scope, receive, send in
            guard scope.type == .websocket else { throw PAGIUnsupportedScopeError(scope.type) }
            _ = try await receive()
            do {
                try await send(.websocketSend(.text("too early")))
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
            try await send(.websocketAccept())
            for _ in 0..<3 {
                let event = try await receive()
                received.withLock { $0.append(event) }
            }
        }
        try await withServer(app) { _, port in
            let client = try InProcessWebSocketClient(port: port)
            _ = await onBlockingThread { client.handshake() }
            client.sendFrame(.text, Array("one".utf8))
            client.sendFrame(.binary, [9])
            client.sendFrame(.close, [0x03, 0xE8] + Array("x".utf8))
            #expect(await client.next() == .close(WebSocketClosePayload(code: .normalClosure, reason: "x")))
        }
        #expect(failure.withLock { $0 }?.contains("accept the connection first") == true)
        #expect(received.withLock { $0 } == [
            .websocketReceive(.text("one")), .websocketReceive(.binary(ByteBuffer(bytes: [9]))), .websocketDisconnect(code: 1000, reason: "x"),
        ])
    }

    @Test("a cancelled receive throws CancellationError and the next receive still gets the message")
    func cancelledReceive() async throws {
        let outcome = Mutex<[String]>([])
        let app: PAGIApp = { scope, receive, send in
            guard scope.type == .websocket else { throw PAGIUnsupportedScopeError(scope.type) }
            _ = try await receive()
            try await send(.websocketAccept())
            let waiting = Task { try await receive() }
            waiting.cancel()
            switch await waiting.result {
            case .failure(let error): outcome.withLock { $0.append(error is CancellationError ? "cancelled" : "\(error)") }
            case .success(let event): outcome.withLock { $0.append("got \(event)") }
            }
            try await send(.websocketSend(.text("ready")))
            let event = try await receive()
            outcome.withLock { $0.append("\(event)") }
            try await send(.websocketClose())
        }
        try await withServer(app) { _, port in
            let client = try InProcessWebSocketClient(port: port)
            _ = await onBlockingThread { client.handshake() }
            #expect(await client.next() == .message(.text("ready")))
            client.sendFrame(.text, Array("after".utf8))
            #expect(await client.next() == .close(WebSocketClosePayload(code: .normalClosure)))
        }
        #expect(outcome.withLock { $0 } == ["cancelled", "\(PAGIInboundEvent.websocketReceive(.text("after")))"])
    }

    @Test("websocket.keepalive pings; a peer that never answers is dropped with keepalive_timeout")
    func keepaliveTimeout() async throws {
        let disconnect = Mutex<PAGIInboundEvent?>(nil)
        let app: PAGIApp = { scope, receive, send in
            guard scope.type == .websocket else { throw PAGIUnsupportedScopeError(scope.type) }
            _ = try await receive()
            try await send(.websocketAccept())
            try await send(.websocketKeepalive(interval: 0.1, timeout: 0.3))
            let event = try await receive()
            disconnect.withLock { $0 = event }
        }
        try await withServer(app) { _, port in
            let client = try InProcessWebSocketClient(port: port)
            _ = await onBlockingThread { client.handshake() }
            #expect(await client.next() == .ping([]))
            var end: WebSocketInboundEvent? = .ping([])
            while end == .ping([]) { end = await client.next() }
            #expect(end == nil)
            for _ in 0..<200 where disconnect.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(disconnect.withLock { $0 } == .websocketDisconnect(code: 1006, reason: "keepalive_timeout"))
    }
}
