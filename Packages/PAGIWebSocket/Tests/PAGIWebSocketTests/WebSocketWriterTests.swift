import Testing
import PAGIWebSocket

@Suite("WebSocketWriter")
struct WebSocketWriterTests {
    @Test("without compression it writes plain unmasked frames")
    func plain() {
        var writer = WebSocketWriter()
        var out: [UInt8] = []
        writer.writeMessage(.binary([1, 2, 3]), into: &out)
        #expect(out == [0x82, 3, 1, 2, 3])
    }

    @Test("with deflate: large messages are compressed (RSV1), small ones are not; a client reader gets them back", arguments: [false, true])
    func compressedRoundTrip(noContextTakeover: Bool) throws {
        let parameters = PerMessageDeflateParameters(serverNoContextTakeover: noContextTakeover)
        let configuration = PerMessageDeflateConfiguration(minimumMessageSize: 10)
        var writer = try WebSocketWriter(serializer: WebSocketFrameSerializer(maxFramePayload: 10), deflate: parameters, configuration: configuration)
        let long = String(repeating: "a long and repetitive message ", count: 30)
        var out: [UInt8] = []
        writer.writeMessage(.text("tiny"), into: &out)
        #expect(out[0] == 0x81)  // RSV1 clear: below minimumMessageSize
        let tinyLength = out.count
        writer.writeMessage(.text(long), into: &out)
        #expect(out[tinyLength] == 0x41)  // RSV1 set, FIN clear: compressed and fragmented at 10 bytes
        writer.writeMessage(.text(long), into: &out)
        writer.writeMessage(.binary([]), into: &out)
        #expect(out.count < tinyLength + 2 * long.utf8.count / 4)
        var reader = try WebSocketReader(role: .client, deflate: parameters)
        var events: [WebSocketInboundEvent] = []
        var offset = 0
        while offset < out.count {
            let (consumed, event) = out.withUnsafeBytes { reader.read(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            offset += consumed
            if event == .needMoreData { break }
            events.append(event)
        }
        #expect(events == [.message(.text("tiny")), .message(.text(long)), .message(.text(long)), .message(.binary([]))])
    }
}
