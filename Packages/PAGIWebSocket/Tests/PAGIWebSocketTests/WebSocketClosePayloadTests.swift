import Testing
import PAGIWebSocket

@Suite("WebSocketClosePayload")
struct WebSocketClosePayloadTests {
    private func payload(_ code: UInt16, _ reason: [UInt8] = []) -> [UInt8] {
        [UInt8(code >> 8), UInt8(code & 0xFF)] + reason
    }

    @Test("valid codes: 1000-1003, 1007-1014, 3000-4999", arguments: [UInt16(1000), 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999])
    func validCodes(code: UInt16) {
        #expect(WebSocketClosePayload.parse(payload(code)) == .success(WebSocketClosePayload(code: WebSocketCloseCode(rawValue: code))))
    }

    @Test("invalid codes: reserved, local-only, unassigned, out of range", arguments: [UInt16(0), 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65_535])
    func invalidCodes(code: UInt16) {
        #expect(WebSocketClosePayload.parse(payload(code)) == .failure(.invalidCloseCode(code)))
        #expect(WebSocketProtocolError.invalidCloseCode(code).closeCode == .protocolError)
    }

    @Test("empty payload means no code (reported as 1005); one byte is invalid")
    func lengths() {
        let empty = WebSocketClosePayload.parse([])
        #expect(empty == .success(WebSocketClosePayload(code: nil)))
        #expect(WebSocketClosePayload(code: nil).reportedCode == .noStatusReceived)
        #expect(WebSocketClosePayload.parse([0x03]) == .failure(.invalidClosePayload))
    }

    @Test("the reason must be valid UTF-8")
    func reason() {
        #expect(WebSocketClosePayload.parse(payload(1000, Array("adiós".utf8))) == .success(WebSocketClosePayload(code: .normalClosure, reason: "adiós")))
        #expect(WebSocketClosePayload.parse(payload(1000, [0xED, 0xA0, 0x80])) == .failure(.invalidUTF8InCloseReason))
        #expect(WebSocketClosePayload.parse(payload(1000, [0xE2, 0x82])) == .failure(.invalidUTF8InCloseReason))
        #expect(WebSocketProtocolError.invalidUTF8InCloseReason.closeCode == .invalidPayloadData)
    }
}
