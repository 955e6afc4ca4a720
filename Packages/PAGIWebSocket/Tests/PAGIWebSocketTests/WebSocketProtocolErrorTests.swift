import Testing
import PAGIWebSocket

@Suite("WebSocketProtocolError")
struct WebSocketProtocolErrorTests {
    @Test("each error maps to one wire Close: 1002 framing, 1007 payload, 1009 size; reasons fit a Close frame")
    func mapping() {
        let cases: [(WebSocketProtocolError, UInt16)] = [
            (.reservedBitsSet, 1002), (.unexpectedCompressionBit(.ping), 1002), (.reservedOpcode(3), 1002),
            (.unmaskedClientFrame, 1002), (.maskedServerFrame, 1002), (.nonMinimalLength, 1002), (.lengthOverflow, 1002),
            (.controlFrameTooLarge(126), 1002), (.fragmentedControlFrame, 1002), (.unexpectedContinuation, 1002),
            (.expectedContinuation(.text), 1002), (.invalidClosePayload, 1002), (.invalidCloseCode(1005), 1002),
            (.frameTooLarge(size: 2, limit: 1), 1009), (.messageTooLarge(limit: 1), 1009),
            (.invalidUTF8, 1007), (.invalidUTF8InCloseReason, 1007), (.invalidCompressedData, 1007),
        ]
        for (error, code) in cases {
            #expect(error.closeCode.rawValue == code, "\(error)")
            #expect(error.closeCode.isValidOnWire)
            #expect(error.closeReason.utf8.count <= 123)
            #expect(!error.description.isEmpty)
        }
        #expect(WebSocketProtocolError.reservedBitsSet.closeReason == "RSV bits must be 0")
        #expect(WebSocketProtocolError.frameTooLarge(size: 70_000, limit: 65_536).description.contains("maxFrameSize"))
    }

    // One test over every code rather than 5,000 parameterised cases: same coverage, one line of output.
    @Test("close code classes: 1000-1003, 1007-1014 and 3000-4999 are valid on the wire, nothing else")
    func codeClasses() {
        for code in Array(UInt16(0)...UInt16(5100)) + [65_535] {
            let valid = (1000...1003).contains(code) || (1007...1014).contains(code) || (3000...4999).contains(code)
            #expect(WebSocketCloseCode(rawValue: code).isValidOnWire == valid, "code \(code)")
        }
    }
}
