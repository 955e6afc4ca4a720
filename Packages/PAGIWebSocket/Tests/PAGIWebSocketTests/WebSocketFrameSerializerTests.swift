import Testing
import PAGIWebSocket

@Suite("WebSocketFrameSerializer")
struct WebSocketFrameSerializerTests {
    @Test("server frames are unmasked with a minimal length", arguments: [0, 125, 126, 65_535, 65_536])
    func headers(length: Int) {
        var out: [UInt8] = []
        let payload = Array(repeating: UInt8(0x5A), count: length)
        payload.withUnsafeBytes { WebSocketFrameSerializer.writeFrame(opcode: .binary, payload: $0, into: &out) }
        #expect(out[0] == 0x82)
        #expect(out[1] & 0x80 == 0)
        let headerLength = WebSocketFrameSerializer.headerLength(payloadLength: length, masked: false)
        #expect(headerLength == (length < 126 ? 2 : length <= 65_535 ? 4 : 10))
        #expect(out.count == headerLength + length)
        var parser = WebSocketFrameParser(role: .client, limits: WebSocketLimits(maxFrameSize: 1 << 20))
        let result = out.withUnsafeBytes { parser.parse($0) }
        #expect(result.result == .frame(WebSocketFrameHeader(opcode: .binary, payloadLength: length)))
        #expect(parser.payload == payload)
    }

    @Test("RFC 6455 §5.7 examples: unmasked 'Hello' and masked 'Hello'")
    func rfcExamples() {
        var unmasked: [UInt8] = []
        WebSocketFrameSerializer().writeMessage(.text("Hello"), into: &unmasked)
        #expect(unmasked == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        var masked: [UInt8] = []
        WebSocketFrameSerializer().writeMessage(.text("Hello"), maskingKey: testKey, into: &masked)
        #expect(masked == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
    }

    @Test("messages over maxFramePayload are fragmented; at the limit they are not")
    func fragmentation() {
        let serializer = WebSocketFrameSerializer(maxFramePayload: 4)
        var exact: [UInt8] = []
        serializer.writeMessage(.binary([1, 2, 3, 4]), into: &exact)
        #expect(exact == [0x82, 4, 1, 2, 3, 4])
        var split: [UInt8] = []
        serializer.writeMessage(.binary([1, 2, 3, 4, 5, 6, 7, 8, 9]), into: &split)
        #expect(split == [0x02, 4, 1, 2, 3, 4, 0x00, 4, 5, 6, 7, 8, 0x80, 1, 9])
    }

    @Test("a compressed message sets RSV1 on its first frame only")
    func compressedFragments() {
        var out: [UInt8] = []
        [UInt8](repeating: 1, count: 5).withUnsafeBytes {
            WebSocketFrameSerializer(maxFramePayload: 3).writeMessage(opcode: .text, payload: $0, compressed: true, into: &out)
        }
        #expect(out[0] == 0x41)
        #expect(out[5] == 0x80)
    }

    @Test("round trip: serialized client messages read back identically, including large ones")
    func roundTrip() {
        let serializer = WebSocketFrameSerializer(maxFramePayload: 1000)
        let big = (0..<5000).map { UInt8(truncatingIfNeeded: $0) }
        var out: [UInt8] = []
        serializer.writeMessage(.binary(big), maskingKey: testKey, into: &out)
        serializer.writeMessage(.text("ünïcödé"), maskingKey: testKey, into: &out)
        WebSocketFrameSerializer.writePing([1, 2], maskingKey: testKey, into: &out)
        #expect(readEvents(out) == [.message(.binary(big)), .message(.text("ünïcödé")), .ping([1, 2])])
    }

    @Test("an empty message is one empty FIN frame")
    func emptyMessage() {
        var out: [UInt8] = []
        WebSocketFrameSerializer().writeMessage(.text(""), into: &out)
        #expect(out == [0x81, 0x00])
    }

    @Test("Close: code and reason; nil code writes an empty payload; local-only codes are not sent")
    func close() {
        var out: [UInt8] = []
        WebSocketFrameSerializer.writeClose(WebSocketClosePayload(code: .normalClosure, reason: "ok"), into: &out)
        #expect(out == [0x88, 4, 0x03, 0xE8, 0x6F, 0x6B])
        out = []
        WebSocketFrameSerializer.writeClose(WebSocketClosePayload(code: nil), into: &out)
        #expect(out == [0x88, 0])
        out = []
        WebSocketFrameSerializer.writeClose(WebSocketClosePayload(code: .noStatusReceived), into: &out)
        #expect(out == [0x88, 2, 0x03, 0xF3])  // 1011 instead of 1005
    }

    @Test("a Close reason is cut to 123 bytes without splitting a character")
    func closeReasonTruncation() {
        var out: [UInt8] = []
        let reason = String(repeating: "a", count: 122) + "é"  // 124 bytes
        WebSocketFrameSerializer.writeClose(WebSocketClosePayload(code: .normalClosure, reason: reason), into: &out)
        #expect(out[1] == 2 + 122)
        out = []
        WebSocketFrameSerializer.writeClose(WebSocketClosePayload(code: .normalClosure, reason: String(repeating: "b", count: 123)), into: &out)
        #expect(out[1] == 125)
    }

    @Test("writeHeader writes into caller memory and reports its length")
    func writeHeaderIntoBuffer() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: WebSocketFrameSerializer.maxHeaderLength, alignment: 1)
        defer { buffer.deallocate() }
        let written = WebSocketFrameSerializer.writeHeader(
            WebSocketFrameHeader(fin: false, opcode: .text, maskingKey: testKey, payloadLength: 300), into: buffer)
        #expect(written == 8)
        #expect(Array(buffer.prefix(8)) == [0x01, 0xFE, 0x01, 0x2C, 0x37, 0xFA, 0x21, 0x3D])
    }
}
