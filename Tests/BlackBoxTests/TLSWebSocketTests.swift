// WebSocket and SSE over pagi-server's TLS (issue 11 with issue 9's serving): wss:// echo with a
// minimal WebSocket client in Python's standard library (ssl + socket), and an SSE stream with curl.

import Foundation
import Testing

private let python = "/usr/bin/python3"

/// Connects with TLS, upgrades, sends one masked text frame and prints the echoed payload.
private let webSocketClient = #"""
import base64, os, socket, ssl, sys
port, ca, message = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
context = ssl.create_default_context(cafile=ca)
with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
    with context.wrap_socket(raw, server_hostname="localhost") as s:
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % key).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            if not chunk: sys.exit("closed during the handshake: %r" % head)
            head += chunk
        status, rest = head.split(b"\r\n", 1)[0], head.split(b"\r\n\r\n", 1)[1]
        print(status.decode())
        mask = os.urandom(4)
        assert len(message) < 126
        s.sendall(bytes([0x81, 0x80 | len(message)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(message)))
        data = rest
        while len(data) < 2 or len(data) < 2 + (data[1] & 0x7F):
            chunk = s.recv(4096)
            if not chunk: sys.exit("closed before the echo: %r" % data)
            data += chunk
        print("opcode=%d payload=%s" % (data[0] & 0x0F, data[2:2 + (data[1] & 0x7F)].decode()))
        s.sendall(bytes([0x88, 0x82]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(b"\x03\xe8")))
"""#

@Suite(
    "pagi-server wss:// and SSE over TLS",
    .serialized,
    .enabled(if: tlsToolsInstalled && FileManager.default.isExecutableFile(atPath: python), "needs openssl, curl and python3")
)
struct TLSWebSocketTests {
    @Test("wss:// echo through --app ws-echo over TLS")
    func wssEcho() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let server = try await ServerUnderTest.start(["--app", "ws-echo", "--access-log", "off"] + certificates.serverFlags)
        defer { server.process.stop() }
        let result = try await runCommand(python, ["-c", webSocketClient, String(server.port), certificates.ca, "héllo wss"], timeout: .seconds(20))
        #expect(result.status == 0, "client: \(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("HTTP/1.1 101"))
        #expect(result.stdout.contains("opcode=1 payload=héllo wss"))
    }

    @Test("an SSE stream (--app sse-ticker) over HTTPS")
    func sseOverTLS() async throws {
        let certificates = try await TLSTestCertificates.generate()
        defer { certificates.remove() }
        let server = try await ServerUnderTest.start(["--app", "sse-ticker", "--access-log", "off"] + certificates.serverFlags)
        defer { server.process.stop() }
        // The stream never ends: curl stops after 2 s (exit 28), with the first ticks received.
        let result = try await curlTLS(
            ["-N", "--max-time", "2", "--cacert", certificates.ca, "-H", "Accept: text/event-stream", "-H", "Last-Event-ID: 41"]
                + TLSBlackBoxTests.target(server.port, "/events")
        )
        #expect(result.stdout.hasPrefix("event: tick\ndata: "), "stream: \(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("\nid: 42\n\n"))
    }
}
