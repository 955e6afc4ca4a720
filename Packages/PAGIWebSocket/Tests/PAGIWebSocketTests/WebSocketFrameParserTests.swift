import Testing
import PAGIWebSocket

@Suite("WebSocketFrameParser")
struct WebSocketFrameParserTests {
    @Test("a masked text frame is unmasked")
    func maskedTextFrame() {
        let results = expectSplitInvariant(clientFrame(.text, Array("Hello".utf8)))
        #expect(results == ["text fin=true rsv1=false \(Array("Hello".utf8))"])
    }

    @Test("RFC 6455 §5.7 masked 'Hello' example decodes")
    func rfcExample() {
        let bytes: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(expectSplitInvariant(bytes) == ["text fin=true rsv1=false \(Array("Hello".utf8))"])
    }

    @Test("7-, 16- and 64-bit lengths at their boundaries", arguments: [0, 1, 125, 126, 127, 65_535, 65_536, 70_000])
    func lengthEncodings(length: Int) {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let parser = WebSocketFrameParser(limits: WebSocketLimits(maxFrameSize: 1 << 20))
        let frame = clientFrame(.binary, payload)
        #expect(frame.count == WebSocketFrameSerializer.headerLength(payloadLength: length, masked: true) + length)
        #expect(parseAll(frame, parser: parser) == ["binary fin=true rsv1=false \(payload)"])
        #expect(parseAll(frame, parser: parser, splits: [1, 2, 3, 5, 9, 11, 13, 14, 15, frame.count - 1]) == ["binary fin=true rsv1=false \(payload)"])
    }

    @Test("many frames in one buffer, including empty ones, parse in order")
    func manyFramesInOneBuffer() {
        let input = clientFrame(.text, [], fin: false) + clientFrame(.ping, [1, 2]) + clientFrame(.continuation, [0x61])
            + clientFrame(.binary, []) + clientFrame(.pong, []) + clientFrame(.close, [0x03, 0xE8])
        #expect(
            expectSplitInvariant(input) == [
                "text fin=false rsv1=false []", "ping fin=true rsv1=false [1, 2]", "continuation fin=true rsv1=false [97]",
                "binary fin=true rsv1=false []", "pong fin=true rsv1=false []", "close fin=true rsv1=false [3, 232]",
            ])
    }

    @Test("RSV1, RSV2, RSV3 without an extension are rejected", arguments: [UInt8(0x40), 0x20, 0x10])
    func reservedBits(bit: UInt8) {
        let input = rawFrame([0x81 | bit, 0x80])
        #expect(expectSplitInvariant(input) == ["error \(WebSocketProtocolError.reservedBitsSet)"])
    }

    @Test("RSV2/RSV3 stay rejected with deflate; RSV1 is allowed on the first data frame only")
    func compressionBit() {
        let parser = WebSocketFrameParser(allowsCompressionBit: true)
        #expect(parseAll(rawFrame([0xC1, 0x80]), parser: parser) == ["text fin=true rsv1=true []"])
        #expect(parseAll(rawFrame([0xA1, 0x80]), parser: parser) == ["error \(WebSocketProtocolError.reservedBitsSet)"])
        #expect(parseAll(rawFrame([0xC9, 0x80]), parser: parser) == ["error \(WebSocketProtocolError.unexpectedCompressionBit(.ping))"])
        let continuation = rawFrame([0x41, 0x80]) + rawFrame([0xC0, 0x80])
        #expect(
            parseAll(continuation, parser: parser) == [
                "text fin=false rsv1=true []", "error \(WebSocketProtocolError.unexpectedCompressionBit(.continuation))",
            ])
    }

    @Test("reserved opcodes are rejected", arguments: [UInt8(3), 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF])
    func reservedOpcodes(opcode: UInt8) {
        #expect(expectSplitInvariant(rawFrame([0x80 | opcode, 0x80])) == ["error \(WebSocketProtocolError.reservedOpcode(opcode))"])
    }

    @Test("a server rejects unmasked frames; a client rejects masked ones")
    func masking() {
        #expect(expectSplitInvariant(rawFrame([0x81, 0x00], key: nil)) == ["error \(WebSocketProtocolError.unmaskedClientFrame)"])
        let client = WebSocketFrameParser(role: .client)
        #expect(parseAll(rawFrame([0x81, 0x02], payload: [0x68, 0x69], key: nil), parser: client) == ["text fin=true rsv1=false [104, 105]"])
        #expect(parseAll(rawFrame([0x81, 0x80]), parser: client) == ["error \(WebSocketProtocolError.maskedServerFrame)"])
    }

    @Test("control frames: 125 bytes pass, 126 fail; FIN is required")
    func controlFrameRules() {
        let ok = Array(repeating: UInt8(0x41), count: 125)
        #expect(expectSplitInvariant(clientFrame(.ping, ok)) == ["ping fin=true rsv1=false \(ok)"])
        let big = rawFrame([0x89, 0x80 | 126, 0x00, 126], payload: Array(repeating: 0, count: 126))
        #expect(expectSplitInvariant(big) == ["error \(WebSocketProtocolError.controlFrameTooLarge(126))"])
        #expect(expectSplitInvariant(rawFrame([0x09, 0x80])) == ["error \(WebSocketProtocolError.fragmentedControlFrame)"])
    }

    @Test("non-minimal 16- and 64-bit lengths and a 64-bit length with the top bit set are rejected")
    func lengthEncodingRules() {
        #expect(expectSplitInvariant(rawFrame([0x82, 0xFE, 0x00, 125])) == ["error \(WebSocketProtocolError.nonMinimalLength)"])
        #expect(
            expectSplitInvariant(rawFrame([0x82, 0xFF, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF])) == ["error \(WebSocketProtocolError.nonMinimalLength)"])
        #expect(
            expectSplitInvariant(rawFrame([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0])) == ["error \(WebSocketProtocolError.lengthOverflow)"])
    }

    @Test("continuation without a message, and a new message inside a fragmented one, are rejected")
    func fragmentationOrder() {
        #expect(expectSplitInvariant(clientFrame(.continuation, [1])) == ["error \(WebSocketProtocolError.unexpectedContinuation)"])
        let input = clientFrame(.text, [0x61], fin: false) + clientFrame(.binary, [1])
        #expect(
            expectSplitInvariant(input) == [
                "text fin=false rsv1=false [97]", "error \(WebSocketProtocolError.expectedContinuation(.binary))",
            ])
    }

    @Test("maxFrameSize: exactly the limit passes, one byte over fails before the payload arrives")
    func frameSizeLimit() {
        let parser = WebSocketFrameParser(limits: WebSocketLimits(maxFrameSize: 300))
        let atLimit = Array(repeating: UInt8(7), count: 300)
        #expect(parseAll(clientFrame(.binary, atLimit), parser: parser) == ["binary fin=true rsv1=false \(atLimit)"])
        // Only the header: the error must come without any payload byte.
        let header = Array(clientFrame(.binary, Array(repeating: 7, count: 301)).prefix(4))
        #expect(parseAll(header, parser: parser) == ["error \(WebSocketProtocolError.frameTooLarge(size: 301, limit: 300))"])
    }

    @Test("default maxFrameSize is 65536")
    func defaultFrameLimit() {
        #expect(WebSocketLimits().maxFrameSize == 65_536)
        let header = Array(clientFrame(.binary, Array(repeating: 0, count: 65_537)).prefix(10))
        #expect(parseAll(header) == ["error \(WebSocketProtocolError.frameTooLarge(size: 65_537, limit: 65_536))"])
    }

    @Test("maxMessageSize counts wire bytes across fragments: at the limit passes, one over fails")
    func messageSizeLimit() {
        let parser = WebSocketFrameParser(limits: WebSocketLimits(maxFrameSize: 100, maxMessageSize: 150))
        let ok = clientFrame(.binary, Array(repeating: 1, count: 100), fin: false) + clientFrame(.continuation, Array(repeating: 2, count: 50))
        #expect(parseAll(ok, parser: parser).count == 2)
        let over = clientFrame(.binary, Array(repeating: 1, count: 100), fin: false) + clientFrame(.continuation, Array(repeating: 2, count: 51))
        #expect(parseAll(over, parser: parser).last == "error \(WebSocketProtocolError.messageTooLarge(limit: 150))")
        // A new message starts the count again.
        let twoMessages = clientFrame(.binary, Array(repeating: 1, count: 100)) + clientFrame(.binary, Array(repeating: 1, count: 100))
        #expect(parseAll(twoMessages, parser: parser).count == 2)
    }

    @Test("after an error the parser keeps reporting it and consumes nothing")
    func failedParserStaysFailed() {
        var parser = WebSocketFrameParser()
        let bad = rawFrame([0x83, 0x80])
        let first = bad.withUnsafeBytes { parser.parse($0) }
        #expect(first.result == .protocolError(.reservedOpcode(3)))
        let good = clientFrame(.text, [0x61])
        let second = good.withUnsafeBytes { parser.parse($0) }
        #expect(second.consumed == 0)
        #expect(second.result == .protocolError(.reservedOpcode(3)))
    }

    @Test("takePayload moves the payload out; withPayload lends it")
    func payloadAccess() {
        var parser = WebSocketFrameParser()
        let frame = clientFrame(.binary, [9, 8, 7])
        let result = frame.withUnsafeBytes { parser.parse($0) }
        #expect(result.consumed == frame.count)
        #expect(parser.withPayload { Array($0) } == [9, 8, 7])
        #expect(parser.takePayload() == [9, 8, 7])
        #expect(parser.payload == [])
    }

    @Test("the payload buffer is reused across frames: no reallocation once it is large enough")
    func payloadBufferReuse() {
        var parser = WebSocketFrameParser()
        let input = (0..<100).reduce(into: [UInt8]()) { bytes, index in
            bytes += clientFrame(.binary, Array(repeating: UInt8(index), count: 100 - index))
        }
        var addresses = Set<UnsafeRawPointer>()
        var frames = 0
        var offset = 0
        while offset < input.count {
            let (consumed, result) = input.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            offset += consumed
            guard case .frame(let header) = result else { break }
            frames += 1
            parser.withPayload { payload in
                if let base = payload.baseAddress { addresses.insert(base) }
                #expect(payload.count == header.payloadLength)
            }
        }
        #expect(frames == 100)
        #expect(addresses.count == 1)
    }
}
