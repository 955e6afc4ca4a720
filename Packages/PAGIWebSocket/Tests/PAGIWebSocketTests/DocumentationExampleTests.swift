import Testing
import PAGIWebSocket

/// Keeps the README example compiling and true.
@Suite("README example")
struct DocumentationExampleTests {
    @Test("handshake, read, write and close as in README.md")
    func readmeExample() throws {
        let request: [(name: String, value: String)] = [
            (name: "Upgrade", value: "websocket"),
            (name: "Connection", value: "keep-alive, Upgrade"),
            (name: "Sec-WebSocket-Key", value: "dGhlIHNhbXBsZSBub25jZQ=="),
            (name: "Sec-WebSocket-Version", value: "13"),
            (name: "Sec-WebSocket-Extensions", value: "permessage-deflate; client_max_window_bits"),
        ]
        let offer = try WebSocketHandshake.validate(method: "GET", httpVersion: "1.1", headers: request).get()
        let deflate = PerMessageDeflateNegotiator.negotiate(offers: offer.extensions, configuration: PerMessageDeflateConfiguration())
        #expect(deflate == PerMessageDeflateParameters())
        #expect(offer.responseHeaders(deflate: deflate).last?.value == "permessage-deflate")

        var reader = try WebSocketReader(deflate: deflate)
        var state = WebSocketConnectionStateMachine()
        let bytes: [UInt8] = [0x81, 0x82, 0, 0, 0, 0, 0x68, 0x69]  // masked "hi" (zero key)
        let (consumed, event) = reader.read(bytes)
        #expect(consumed == 8)
        #expect(event == .message(.text("hi")))
        #expect(state.receivedMessage() == .deliver)

        var writer = try WebSocketWriter(deflate: deflate)
        var out: [UInt8] = []
        writer.writeMessage(.text("hello"), into: &out)  // under 64 bytes: sent uncompressed
        if case .sendClose(let close) = state.sendClose(WebSocketClosePayload(code: .normalClosure)) {
            WebSocketFrameSerializer.writeClose(close, into: &out)
        }
        #expect(out == [0x81, 5] + Array("hello".utf8) + [0x88, 2, 0x03, 0xE8])
    }
}
