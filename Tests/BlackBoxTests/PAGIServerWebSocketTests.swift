// pagi-server serving WebSocket (`--app ws-echo`) and SSE (`--app sse-ticker`) end to end: the
// real binary, raw sockets, and curl.

import Foundation
import PAGIWebSocket
import Testing

@Suite("pagi-server WebSocket (ws-echo)")
struct PAGIServerWebSocketTests {
    @Test("handshake: 101 with the RFC 6455 accept value; text and binary echoed with their type")
    func echo() async throws {
        let server = try await ServerUnderTest.start(["--app", "ws-echo", "--access-log", "off"])
        defer { server.process.stop() }
        let client = try WebSocketTestClient(port: server.port, path: "/chat?room=1")
        #expect(client.responseHead.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n"))
        #expect(client.responseHead.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"))
        #expect(client.responseHead.contains("Upgrade: websocket\r\n"))
        client.sendText("héllo")
        #expect(client.next() == .message(.text("héllo")))
        client.sendFrame(.binary, [0, 1, 2, 255])
        #expect(client.next() == .message(.binary([0, 1, 2, 255])))
        client.sendText("")
        #expect(client.next() == .message(.text("")))
    }

    @Test("a fragmented message with a ping between its fragments: pong first, then the whole message")
    func fragmentsAndInterleavedPing() async throws {
        let server = try await ServerUnderTest.start(["--app", "ws-echo", "--access-log", "off"])
        defer { server.process.stop() }
        let client = try WebSocketTestClient(port: server.port)
        client.sendFrame(.text, Array("frag".utf8), fin: false)
        client.sendFrame(.ping, Array("are you there".utf8))
        client.sendFrame(.continuation, Array("ment".utf8), fin: false)
        client.sendFrame(.continuation, Array("ed".utf8), fin: true)
        #expect(client.next() == .pong(Array("are you there".utf8)))
        #expect(client.next() == .message(.text("fragmented")))
        // A message split inside a multi-byte character is still valid UTF-8 once reassembled.
        let snowman = Array("☃".utf8)
        client.sendFrame(.text, [snowman[0]], fin: false)
        client.sendFrame(.continuation, Array(snowman[1...]), fin: true)
        #expect(client.next() == .message(.text("☃")))
    }

    @Test("client close: the server echoes code and reason and closes TCP; an empty Close is echoed empty")
    func clientClose() async throws {
        let server = try await ServerUnderTest.start(["--app", "ws-echo", "--access-log", "off"])
        defer { server.process.stop() }
        let client = try WebSocketTestClient(port: server.port)
        client.sendClose(code: 4001, reason: "bye")
        #expect(client.next() == .close(WebSocketClosePayload(code: WebSocketCloseCode(rawValue: 4001), reason: "bye")))
        #expect(client.isClosedByPeer())

        let second = try WebSocketTestClient(port: server.port)
        second.sendClose(code: nil)
        #expect(second.next() == .close(WebSocketClosePayload(code: nil)))
        #expect(second.isClosedByPeer())
    }

    @Test("protocol violations get their Close codes: 1002 reserved opcode, 1002 unmasked, 1007 invalid UTF-8, 1009 oversized")
    func protocolViolations() async throws {
        let server = try await ServerUnderTest.start(["--app", "ws-echo", "--access-log", "off", "--max-ws-frame-size", "1024"])
        defer { server.process.stop() }

        let reserved = try WebSocketTestClient(port: server.port)
        reserved.sendRawFrame(firstByte: 0x83, payload: [1, 2])
        #expect(reserved.nextClose()?.code == .protocolError)
        #expect(reserved.isClosedByPeer())

        let unmasked = try WebSocketTestClient(port: server.port)
        unmasked.sendFrame(.text, Array("hi".utf8), masked: false)
        #expect(unmasked.nextClose()?.code == .protocolError)

        let badText = try WebSocketTestClient(port: server.port)
        badText.sendFrame(.text, [0xC3, 0x28])
        #expect(badText.nextClose()?.code == .invalidPayloadData)

        let oversized = try WebSocketTestClient(port: server.port)
        oversized.sendFrame(.binary, [UInt8](repeating: 7, count: 1024))
        #expect(oversized.next() == .message(.binary([UInt8](repeating: 7, count: 1024))))
        oversized.sendFrame(.binary, [UInt8](repeating: 7, count: 1025))
        let close = oversized.nextClose()
        #expect(close?.code == .messageTooBig)
        #expect(oversized.isClosedByPeer())
    }

    @Test("bad handshakes get 400 or 426 and never reach the app")
    func refusedHandshakes() async throws {
        let server = try await ServerUnderTest.start(["--app", "ws-echo"])
        defer { server.process.stop() }
        let base = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        let noKey = try WebSocketTestClient.rawHandshake(port: server.port, request: "GET / HTTP/1.1\r\n\(base)Sec-WebSocket-Version: 13\r\n\r\n")
        #expect(noKey.hasPrefix("HTTP/1.1 400 "))
        #expect(noKey.contains("Sec-WebSocket-Key"))
        let badVersion = try WebSocketTestClient.rawHandshake(
            port: server.port,
            request: "GET / HTTP/1.1\r\n\(base)Sec-WebSocket-Key: \(WebSocketTestClient.sampleKey)\r\nSec-WebSocket-Version: 8\r\n\r\n"
        )
        #expect(badVersion.hasPrefix("HTTP/1.1 426 "))
        #expect(badVersion.lowercased().contains("sec-websocket-version: 13\r\n"))
        let post = try WebSocketTestClient.rawHandshake(
            port: server.port,
            request: "POST / HTTP/1.1\r\n\(base)Sec-WebSocket-Key: \(WebSocketTestClient.sampleKey)\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n"
        )
        #expect(post.hasPrefix("HTTP/1.1 400 "))
        // A plain request is still http: ws-echo answers it with its own 426 hint.
        let plain = try WebSocketTestClient.rawHandshake(port: server.port, request: "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(plain.hasPrefix("HTTP/1.1 426 "))
        #expect(plain.contains("This endpoint speaks WebSocket"))
    }

    @Test("permessage-deflate: negotiated when offered (compressed frames both ways), absent with --no-ws-compression")
    func compression() async throws {
        let server = try await ServerUnderTest.start(["--app", "ws-echo", "--access-log", "off"])
        defer { server.process.stop() }
        let client = try WebSocketTestClient(
            port: server.port,
            extraHeaders: ["Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"],
            deflate: PerMessageDeflateParameters()
        )
        #expect(client.responseHead.contains("Sec-WebSocket-Extensions: permessage-deflate"))
        // RFC 7692 §7.2.3.1: "Hello" compressed, sent as one frame with RSV1.
        client.sendFrame(.text, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], rsv1: true)
        #expect(client.next() == .message(.text("Hello")))
        let long = String(repeating: "compress me ", count: 500)
        client.sendText(long)
        #expect(client.next() == .message(.text(long)))

        let plainServer = try await ServerUnderTest.start(["--app", "ws-echo", "--access-log", "off", "--no-ws-compression"])
        defer { plainServer.process.stop() }
        let plain = try WebSocketTestClient(port: plainServer.port, extraHeaders: ["Sec-WebSocket-Extensions: permessage-deflate"])
        #expect(!plain.responseHead.contains("Sec-WebSocket-Extensions"))
        // Without the extension RSV1 is a protocol error.
        plain.sendFrame(.text, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], rsv1: true)
        #expect(plain.nextClose()?.code == .protocolError)
    }

    @Test("an app that cannot keep up: the bounded receive queue overflows and the server closes with 1008")
    func receiveQueueOverflow() async throws {
        // ws-echo's sends wait while the client reads nothing (back-pressure), so its receive
        // queue fills; with --max-receive-queue 4 the fifth waiting message closes the connection.
        let server = try await ServerUnderTest.start([
            "--app", "ws-echo", "--access-log", "off", "--max-receive-queue", "4", "--write-high-watermark", "4096", "--write-low-watermark", "1024",
        ])
        defer { server.process.stop() }
        let client = try WebSocketTestClient(port: server.port)
        // Send without reading (so the echo's sends back up) until everything is sent or the
        // server stopped reading (it does once it decided to close); then read its frames.
        let sent = SentCounter()
        let sender = Task.detached {
            let payload = [UInt8](repeating: 0x61, count: 60000)
            for _ in 0..<400 {
                client.sendFrame(.binary, payload)
                sent.increment()
            }
        }
        defer { sender.cancel() }
        var last = -1
        while sent.value < 400, sent.value != last {
            last = sent.value
            try await Task.sleep(for: .milliseconds(300))
        }
        let close = client.nextClose()
        #expect(close?.code == .policyViolation)
        #expect(close?.reason == "Message queue overflow")
    }

    @Test("--ws-idle-timeout drops a silent connection")
    func idleTimeout() async throws {
        let server = try await ServerUnderTest.start(["--app", "ws-echo", "--access-log", "off", "--ws-idle-timeout", "1"])
        defer { server.process.stop() }
        let client = try WebSocketTestClient(port: server.port)
        client.sendText("still here")
        #expect(client.next() == .message(.text("still here")))
        let started = ContinuousClock.now
        #expect(client.isClosedByPeer())
        let waited = ContinuousClock.now - started
        #expect(waited > .milliseconds(500) && waited < .seconds(5))
    }

    @Test("graceful shutdown closes open WebSockets with 1001 and exits 0")
    func shutdown() async throws {
        let server = try await ServerUnderTest.start(["--app", "ws-echo", "--access-log", "off"])
        defer { server.process.stop() }
        let client = try WebSocketTestClient(port: server.port)
        client.sendText("before")
        #expect(client.next() == .message(.text("before")))
        server.process.signal(SIGTERM)
        #expect(client.nextClose()?.code == .goingAway)
        client.sendClose(code: 1001)
        #expect(try await server.process.waitForExit() == 0)
    }
}

@Suite("pagi-server SSE (sse-ticker)")
struct PAGIServerSSETests {
    @Test("the stream byte for byte: head, chunked events continuing after Last-Event-ID")
    func wireFormat() async throws {
        let server = try await ServerUnderTest.start(["--app", "sse-ticker", "--access-log", "off"])
        defer { server.process.stop() }
        let connection = try RawConnection(port: server.port)
        connection.send("GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nLast-Event-ID: 41\r\n\r\n")
        let text = connection.read { $0.contains("id: 43\n\n\r\n") }
        let head = try #require(text.components(separatedBy: "\r\n\r\n").first)
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ndate: "))
        #expect(head.hasSuffix("\r\ntransfer-encoding: chunked"))
        #expect(!head.contains("connection: close"))
        // Each event is one chunk: size line, the event, CRLF.
        let pattern = #"\r\n\r\n([0-9a-f]+)\r\nevent: tick\ndata: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\nid: 42\n\n\r\n([0-9a-f]+)\r\nevent: tick\ndata: [0-9TZ:-]{20}\nid: 43\n\n\r\n"#
        let match = try #require(text.range(of: pattern, options: .regularExpression))
        let event = "event: tick\ndata: 2026-01-01T00:00:00Z\nid: 42\n\n"
        #expect(text[match].contains("\r\n\(String(event.utf8.count, radix: 16))\r\nevent: tick"))
    }

    @Test("curl as an EventSource: two ticks with ids 1 and 2; a plain request gets 406")
    func curl() async throws {
        let server = try await ServerUnderTest.start(["--app", "sse-ticker", "--access-log", "off"])
        defer { server.process.stop() }
        let result = try await runCommand("/usr/bin/curl", ["-sN", "--max-time", "1.6", "-H", "Accept: text/event-stream", server.url + "/"])
        #expect(result.stdout.hasPrefix("event: tick\ndata: "))
        #expect(result.stdout.contains("\nid: 1\n\n"))
        #expect(result.stdout.contains("\nid: 2\n\n"))
        let plain = try await runCommand("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", server.url + "/"])
        #expect(plain.stdout == "406")
    }

    @Test("a client that goes away ends the stream: the app sees the disconnect and the access log line is written")
    func disconnectDetected() async throws {
        let server = try await ServerUnderTest.start(["--app", "sse-ticker"])
        defer { server.process.stop() }
        let connection = try RawConnection(port: server.port)
        connection.send("GET /gone HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        _ = connection.read { $0.contains("id: 1\n") }
        connection.close()
        try await server.process.waitForLine(timeout: .seconds(5), "access log line of the ended stream") { $0.contains("\"GET /gone\" 200") }
    }

    @Test("graceful shutdown ends open streams with the last chunk and exits 0")
    func shutdown() async throws {
        let server = try await ServerUnderTest.start(["--app", "sse-ticker", "--access-log", "off"])
        defer { server.process.stop() }
        let connection = try RawConnection(port: server.port)
        connection.send("GET / HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        _ = connection.read { $0.contains("id: 1\n") }
        server.process.signal(SIGTERM)
        let rest = connection.readToEnd()
        #expect(rest.hasSuffix("0\r\n\r\n"))
        #expect(try await server.process.waitForExit() == 0)
    }
}

@Suite("pagi-server welcome page (the default app)")
struct PAGIServerWelcomeTests {
    @Test("without --app: the page with version and pid; its /ws echoes, its /events ticks, other paths are refused")
    func welcome() async throws {
        let server = try await ServerUnderTest.start(["--access-log", "off"])
        defer { server.process.stop() }
        let page = try await runCommand("/usr/bin/curl", ["-s", "-w", "|%{http_code}|%{content_type}", server.url + "/"])
        #expect(page.stdout.hasSuffix("|200|text/html; charset=utf-8"))
        #expect(page.stdout.contains("<dd id=\"server-version\">pagi-server 0.1.0 (PAGI "))
        #expect(page.stdout.contains("<dd id=\"server-pid\">\(server.process.pid)</dd>"))
        #expect(page.stdout.contains("<dd id=\"server-worker\">single process</dd>"))

        let client = try WebSocketTestClient(port: server.port, path: "/ws")
        client.sendText("Hello over WebSocket")
        #expect(client.next() == .message(.text("Hello over WebSocket")))
        client.sendClose(code: 1000)
        #expect(client.nextClose()?.code == .normalClosure)

        let events = try await runCommand("/usr/bin/curl", ["-sN", "--max-time", "1.6", "-H", "Accept: text/event-stream", server.url + "/events"])
        #expect(events.stdout.contains("event: tick\n"))
        #expect(events.stdout.contains("\nid: 2\n\n"))

        let wrongSocket = try WebSocketTestClient.rawHandshake(
            port: server.port,
            request: "GET /elsewhere HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(WebSocketTestClient.sampleKey)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        #expect(wrongSocket.hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        let wrongStream = try await runCommand("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Accept: text/event-stream", server.url + "/nope"])
        #expect(wrongStream.stdout == "404")
    }
}

/// How many messages a sender task wrote; read by the test while the task runs.
final class SentCounter: @unchecked Sendable {
    // Invariant: `count` is only touched under `lock`.
    private let lock = NSLock()
    private var count = 0
    func increment() { self.lock.withLock { self.count += 1 } }
    var value: Int { self.lock.withLock { self.count } }
}
