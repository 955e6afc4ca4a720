import Foundation
import NIOCore
import PAGI
import Synchronization
import Testing

@testable import PAGIServer

@Suite("PAGIServer sse scopes (in-process)", .serialized)
struct SSEServingTests {
    static let streamRequest = "GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/html, TEXT/Event-Stream;q=0.9\r\n\r\n"

    @Test("sse.start, sse.send with every field, sse.comment, sse.close: the bytes on the wire")
    func wireFormat() async throws {
        let scopeType = Mutex<PAGIScopeType?>(nil)
        let app: PAGIApp = { scope, receive, send in
            guard scope.type == .sse else { throw PAGIUnsupportedScopeError(scope.type) }
            scopeType.withLock { $0 = scope.type }
            let first = try await receive()
            #expect(first == .sseRequest(body: ByteBuffer(), more: false), "got \(first)")
            try await send(.sseStart(headers: [("x-stream", "1")]))
            try await send(.sseSend(PAGISSEMessage(data: "l1\nl2\r\nl3", event: "e", id: "7", retry: 100)))
            try await send(.sseSend(PAGISSEMessage(data: "")))
            try await send(.sseComment("c1\nc2"))
            try await send(.sseClose(reason: "done"))
            try await send(.sseClose())
        }
        try await withServer(app) { _, port in
            let response = try await exchange(port: port, Self.streamRequest)
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\nx-stream: 1\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ndate: "))
            let body = try #require(response.components(separatedBy: "transfer-encoding: chunked\r\n\r\n").last)
            let event = "event: e\ndata: l1\ndata: l2\ndata: l3\nid: 7\nretry: 100\n\n"
            #expect(body == "\(String(event.utf8.count, radix: 16))\r\n\(event)\r\n8\r\ndata: \n\n\r\n9\r\n:c1\n:c2\n\n\r\n0\r\n\r\n", "\(body.debugDescription)")
        }
        #expect(scopeType.withLock { $0 } == .sse)
    }

    @Test("a field with a newline makes sse.send throw and writes nothing; sends before sse.start raise")
    func validation() async throws {
        let errors = Mutex<[String]>([])
        let app: PAGIApp = { scope, _, send in
            guard scope.type == .sse else { throw PAGIUnsupportedScopeError(scope.type) }
            do { try await send(.sseSend(PAGISSEMessage(data: "x"))) } catch { errors.withLock { $0.append("\(error)") } }
            try await send(.sseStart())
            do { try await send(.sseSend(PAGISSEMessage(data: "x", event: "a\nb"))) } catch { errors.withLock { $0.append("\(error)") } }
            do { try await send(.sseHTTPResponseStart(status: 204)) } catch { errors.withLock { $0.append("\(error)") } }
            try await send(.sseSend(PAGISSEMessage(data: "ok")))
        }
        try await withServer(app) { _, port in
            let response = try await exchange(port: port, Self.streamRequest)
            #expect(response.hasSuffix("\r\n\r\na\r\ndata: ok\n\n\r\n0\r\n\r\n"))
        }
        let messages = errors.withLock { $0 }
        #expect(messages.count == 3, "\(messages)")
        #expect(messages.first?.contains("send sse.start first") == true)
        #expect(messages.dropFirst().first?.contains("'event' must not contain CR or LF") == true)
    }

    @Test("the decline path: a plain 204 response, connection closed, no sse.disconnect owed")
    func decline() async throws {
        let app: PAGIApp = { scope, _, send in
            guard scope.type == .sse else { throw PAGIUnsupportedScopeError(scope.type) }
            try await send(.sseHTTPResponseStart(status: 204, headers: [("x-why", "no")]))
            try await send(.sseHTTPResponseBody(ByteBuffer(), more: false))
        }
        try await withServer(app) { _, port in
            let response = try await exchange(port: port, Self.streamRequest)
            #expect(response.hasPrefix("HTTP/1.1 204 No Content\r\nx-why: no\r\n"))
            #expect(response.contains("connection: close\r\n"))
            #expect(response.hasSuffix("\r\n\r\n"))
        }
    }

    @Test("an app returning without sse.start gets a 500")
    func backstop() async throws {
        let app: PAGIApp = { _, _, _ in }
        try await withServer(app) { _, port in
            let response = try await exchange(port: port, Self.streamRequest)
            #expect(response.hasPrefix("HTTP/1.1 500 "))
        }
    }

    @Test("sse.keepalive writes its comment every interval; sse_idle_timeout ends a silent stream with idle_timeout")
    func keepaliveAndIdle() async throws {
        let reason = Mutex<PAGIInboundEvent?>(nil)
        let app: PAGIApp = { scope, receive, send in
            guard scope.type == .sse else { throw PAGIUnsupportedScopeError(scope.type) }
            try await send(.sseKeepalive(interval: 0.1, comment: "ping"))
            try await send(.sseStart())
            _ = try await receive()
            let event = try await receive()
            reason.withLock { $0 = event }
        }
        try await withServer(app, configure: { $0.timeouts.sseIdle = .milliseconds(600) }) { _, port in
            let response = try await exchange(port: port, Self.streamRequest)
            #expect(Self.occurrences(":ping\n\n", in: response) >= 2)
            #expect(response.hasSuffix("0\r\n\r\n"))
        }
        #expect(reason.withLock { $0 } == .sseDisconnect(reason: .idleTimeout))
    }

    @Test("a client that goes away: receive returns sse.disconnect client_closed")
    func clientGone() async throws {
        let reason = Mutex<PAGIInboundEvent?>(nil)
        let app: PAGIApp = { scope, receive, send in
            guard scope.type == .sse else { throw PAGIUnsupportedScopeError(scope.type) }
            try await send(.sseStart())
            try await send(.sseSend(PAGISSEMessage(data: "hi")))
            _ = try await receive()
            let event = try await receive()
            reason.withLock { $0 = event }
        }
        try await withServer(app) { _, port in
            let client = try TestClient(port: port)
            client.send(Self.streamRequest)
            _ = await client.read { $0.contains("data: hi") }
            client.close()
            for _ in 0..<200 where reason.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(reason.withLock { $0 } == .sseDisconnect(reason: .clientClosed))
    }

    private static func occurrences(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
