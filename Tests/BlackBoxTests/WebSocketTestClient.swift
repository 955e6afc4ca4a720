// A minimal RFC 6455 client over a raw loopback socket, built from PAGIWebSocket's frame writer
// and reader, so the tests can send exactly the frames they mean (fragments, bad opcodes,
// unmasked frames) and see every frame the server answers with.

import Foundation
import PAGIWebSocket

/// One WebSocket connection to a server under test. Blocking, with the socket's 10 s timeout.
final class WebSocketTestClient: @unchecked Sendable {
    // Used by one test task at a time.
    let connection: RawConnection
    /// The server's handshake response head (up to and including the blank line).
    let responseHead: String
    private var reader: WebSocketReader
    private var pending: [UInt8]
    private static let maskingKey = WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D)
    /// The RFC 6455 §1.3 sample key; its accept value is `s3pPLMBiTxaQ9kYGzzhZRbK+xOo=`.
    static let sampleKey = "dGhlIHNhbXBsZSBub25jZQ=="

    /// Sends a handshake and reads the response head. Throws when the server answers with
    /// anything but `101` (use ``rawHandshake(port:request:)`` for refusals).
    init(port: Int, path: String = "/", extraHeaders: [String] = [], deflate: PerMessageDeflateParameters? = nil) throws {
        self.connection = try RawConnection(port: port)
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: \(Self.sampleKey)\r\nSec-WebSocket-Version: 13\r\n"
        for header in extraHeaders { request += header + "\r\n" }
        request += "\r\n"
        self.connection.send(request)
        var received: [UInt8] = []
        while true {
            let more = self.connection.receiveBytes()
            if more.isEmpty { break }
            received += more
            if let end = Self.headEnd(received) {
                self.responseHead = String(decoding: received[..<end], as: UTF8.self)
                self.pending = Array(received[end...])
                guard self.responseHead.hasPrefix("HTTP/1.1 101 ") else {
                    throw BlackBoxError.timedOut("a 101 answer; got \(self.responseHead)")
                }
                self.reader = try WebSocketReader(role: .client, limits: WebSocketLimits(maxFrameSize: 1 << 24, maxMessageSize: 1 << 26), deflate: deflate)
                return
            }
        }
        throw BlackBoxError.timedOut("the handshake response; got \(String(decoding: received, as: UTF8.self))")
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    /// Sends one frame, masked unless `masked` is false.
    func sendFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, rsv1: Bool = false, masked: Bool = true) {
        var out: [UInt8] = []
        payload.withUnsafeBytes {
            WebSocketFrameSerializer.writeFrame(opcode: opcode, payload: $0, fin: fin, rsv1: rsv1, maskingKey: masked ? Self.maskingKey : nil, into: &out)
        }
        self.connection.send(out)
    }

    /// Sends a raw frame with an arbitrary first byte (reserved opcodes, RSV bits).
    func sendRawFrame(firstByte: UInt8, payload: [UInt8]) {
        precondition(payload.count < 126)
        var out: [UInt8] = [firstByte, 0x80 | UInt8(payload.count), 0x37, 0xFA, 0x21, 0x3D]
        let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        for (index, byte) in payload.enumerated() { out.append(byte ^ key[index % 4]) }
        self.connection.send(out)
    }

    func sendText(_ text: String) { self.sendFrame(.text, Array(text.utf8)) }

    func sendClose(code: UInt16?, reason: String = "") {
        var payload: [UInt8] = []
        if let code { payload = [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8) }
        self.sendFrame(.close, payload)
    }

    /// The next message or control frame from the server; `nil` once the server closed the TCP
    /// connection (or after the 10 s socket timeout).
    func next() -> WebSocketInboundEvent? {
        while true {
            if !self.pending.isEmpty {
                let (consumed, event) = self.reader.read(self.pending)
                self.pending.removeFirst(consumed)
                if event != .needMoreData { return event }
            }
            let more = self.connection.receiveBytes()
            if more.isEmpty { return nil }
            self.pending += more
        }
    }

    /// Reads until the server's Close frame, returning it (or `nil` when the TCP connection ended without one).
    func nextClose() -> WebSocketClosePayload? {
        while let event = self.next() {
            if case .close(let payload) = event { return payload }
        }
        return nil
    }

    /// Whether the server closed the TCP connection with no further frames.
    func isClosedByPeer() -> Bool { self.next() == nil }

    /// Sends a raw request (a refused handshake) and returns the whole answer.
    static func rawHandshake(port: Int, request: String) throws -> String {
        let connection = try RawConnection(port: port)
        connection.send(request)
        return connection.readToEnd()
    }
}
