import Testing
import PAGIWebSocket

@Suite("WebSocketReader")
struct WebSocketReaderTests {
    @Test("an unfragmented text and binary message")
    func singleFrameMessages() {
        let input = clientFrame(.text, Array("héllo".utf8)) + clientFrame(.binary, [0, 255])
        let (events, agree) = eventsForEverySplit(input)
        #expect(agree)
        #expect(events == [.message(.text("héllo")), .message(.binary([0, 255]))])
    }

    @Test("fragments are reassembled with control frames interleaved")
    func reassemblyWithInterleavedControl() {
        let input = clientFrame(.text, Array("Hel".utf8), fin: false) + clientFrame(.ping, [1])
            + clientFrame(.continuation, Array("lo ".utf8), fin: false) + clientFrame(.pong, [])
            + clientFrame(.continuation, Array("wörld".utf8))
        let (events, agree) = eventsForEverySplit(input)
        #expect(agree)
        #expect(events == [.ping([1]), .pong([]), .message(.text("Hello wörld"))])
    }

    @Test("a code point split across fragments is accepted")
    func codePointAcrossFragments() {
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        let input = clientFrame(.text, [euro[0]], fin: false) + clientFrame(.continuation, [euro[1]], fin: false)
            + clientFrame(.continuation, [euro[2]])
        #expect(readEvents(input) == [.message(.text("€"))])
    }

    @Test("invalid UTF-8 fails at the fragment that carries it, before the message ends")
    func invalidUTF8FailsFast() {
        let input = clientFrame(.text, [0x61], fin: false) + clientFrame(.continuation, [0xC0, 0x80], fin: false)
        let (events, agree) = eventsForEverySplit(input)
        #expect(agree)
        #expect(events == [.protocolError(.invalidUTF8)])
        #expect(WebSocketProtocolError.invalidUTF8.closeCode == .invalidPayloadData)
    }

    @Test("a text message ending inside a code point is invalid")
    func truncatedCodePoint() {
        #expect(readEvents(clientFrame(.text, [0xE2, 0x82])) == [.protocolError(.invalidUTF8)])
    }

    @Test("Close frames are parsed and validated")
    func closeFrames() {
        #expect(readEvents(clientFrame(.close, [])) == [.close(WebSocketClosePayload(code: nil))])
        #expect(readEvents(clientFrame(.close, [0x03, 0xE8] + Array("bye".utf8))) == [.close(WebSocketClosePayload(code: .normalClosure, reason: "bye"))])
        #expect(readEvents(clientFrame(.close, [0x03])) == [.protocolError(.invalidClosePayload)])
        #expect(readEvents(clientFrame(.close, [0x03, 0xED])) == [.protocolError(.invalidCloseCode(1005))])
        #expect(readEvents(clientFrame(.close, [0x03, 0xE8, 0xFF])) == [.protocolError(.invalidUTF8InCloseReason)])
    }

    @Test("the reader stays failed after a protocol error")
    func staysFailed() {
        var reader = WebSocketReader()
        let result1 = reader.read(rawFrame([0x83, 0x80]))
        #expect(result1.event == .protocolError(.reservedOpcode(3)))
        let next = reader.read(clientFrame(.text, [0x61]))
        #expect(next.consumed == 0)
        #expect(next.event == .protocolError(.reservedOpcode(3)))
    }

    @Test("a partial frame reports needMoreData and consumes everything")
    func partialFrame() {
        var reader = WebSocketReader()
        let frame = clientFrame(.binary, [1, 2, 3])
        let (consumed, event) = reader.read(Array(frame.prefix(7)))
        #expect(consumed == 7)
        #expect(event == .needMoreData)
        let result2 = reader.read(Array(frame.dropFirst(7)))
        #expect(result2.event == .message(.binary([1, 2, 3])))
    }

    @Test("compressed messages are inflated, fragmented or not, with both takeover modes", arguments: [false, true])
    func compressedMessages(noContextTakeover: Bool) throws {
        let parameters = PerMessageDeflateParameters(clientNoContextTakeover: noContextTakeover)
        let compressor = try PerMessageDeflateCompressor(noContextTakeover: noContextTakeover)
        let text = String(repeating: "compress me, compress me! ", count: 40)
        var input: [UInt8] = []
        for _ in 0..<3 {
            let compressed = compressor.compress(Array(text.utf8))
            input += clientFrame(.text, compressed, rsv1: true)
            let half = compressed.count / 2
            input += clientFrame(.binary, Array(compressed[..<half]), fin: false, rsv1: true)
            input += clientFrame(.ping, [7])
            input += clientFrame(.continuation, Array(compressed[half...]))
        }
        input += clientFrame(.text, Array("plain".utf8))  // RSV1 clear: not compressed
        let make = { deflateReader(parameters) }
        let events = readEvents(input, makeReader: make)
        let message = WebSocketInboundEvent.message(.text(text))
        let binary = WebSocketInboundEvent.message(.binary(Array(text.utf8)))
        #expect(events == [message, .ping([7]), binary, message, .ping([7]), binary, message, .ping([7]), binary, .message(.text("plain"))])
        #expect(readEvents(input, splits: [1, 17, 100, input.count / 2], makeReader: make) == events)
    }

    @Test("decompression bomb: inflated size counts against maxMessageSize (just under passes, just over fails)")
    func decompressionBomb() throws {
        let compressor = try PerMessageDeflateCompressor()
        let zeros = compressor.compress(Array(repeating: 0, count: 10_000))
        #expect(zeros.count < 100)
        let frame = clientFrame(.binary, zeros, rsv1: true)
        let underLimit = WebSocketLimits(maxFrameSize: 1000, maxMessageSize: 10_000)
        #expect(readEvents(frame, makeReader: { deflateReader(limits: underLimit) })
            == [.message(.binary(Array(repeating: 0, count: 10_000)))])
        let overLimit = WebSocketLimits(maxFrameSize: 1000, maxMessageSize: 9_999)
        #expect(readEvents(frame, makeReader: { deflateReader(limits: overLimit) })
            == [.protocolError(.messageTooLarge(limit: 9_999))])
    }

    @Test("corrupt compressed data fails with 1007")
    func corruptCompressedData() {
        let frame = clientFrame(.binary, [0xFF, 0xFF, 0xFF, 0xFF, 0x00], rsv1: true)
        let events = readEvents(frame, makeReader: { deflateReader() })
        #expect(events == [.protocolError(.invalidCompressedData)])
        #expect(WebSocketProtocolError.invalidCompressedData.closeCode == .invalidPayloadData)
    }

    @Test("invalid UTF-8 inside a compressed text message fails")
    func invalidUTF8Compressed() throws {
        let compressor = try PerMessageDeflateCompressor()
        let frame = clientFrame(.text, compressor.compress([0x61, 0xED, 0xA0, 0x80]), rsv1: true)
        #expect(readEvents(frame, makeReader: { deflateReader() }) == [.protocolError(.invalidUTF8)])
    }
}

@Suite("WebSocketReader roles and limits")
struct WebSocketReaderRoleTests {
    @Test("a client reader accepts unmasked server frames and rejects masked ones")
    func clientRole() {
        var serverFrames: [UInt8] = []
        WebSocketFrameSerializer().writeMessage(.text("from server"), into: &serverFrames)
        #expect(readEvents(serverFrames, makeReader: { WebSocketReader(role: .client) }) == [.message(.text("from server"))])
        #expect(readEvents(clientFrame(.text, [0x61]), makeReader: { WebSocketReader(role: .client) }) == [.protocolError(.maskedServerFrame)])
    }

    @Test("default message limit is 8 MiB")
    func defaultMessageLimit() {
        #expect(WebSocketLimits().maxMessageSize == 8 * 1024 * 1024)
    }

    @Test("an empty compressed message (RSV1, no payload) reads as empty and later messages still inflate")
    func emptyCompressedMessage() throws {
        let compressor = try PerMessageDeflateCompressor()
        let input = clientFrame(.text, [], rsv1: true) + clientFrame(.text, compressor.compress(Array("next".utf8)), rsv1: true)
        #expect(readEvents(input, makeReader: { deflateReader() }) == [.message(.text("")), .message(.text("next"))])
    }

    @Test("many messages in one buffer come out one per call, with exact consumed counts")
    func consumedCounts() {
        let first = clientFrame(.text, Array("one".utf8))
        let second = clientFrame(.binary, [2])
        var reader = WebSocketReader()
        let input = first + second + Array(clientFrame(.ping, []).prefix(1))
        let firstRead = reader.read(input)
        #expect(firstRead.consumed == first.count)
        #expect(firstRead.event == .message(.text("one")))
        let secondRead = reader.read(Array(input[first.count...]))
        #expect(secondRead.consumed == second.count)
        #expect(secondRead.event == .message(.binary([2])))
        let rest = reader.read(Array(input[(first.count + second.count)...]))
        #expect(rest.consumed == 1)
        #expect(rest.event == .needMoreData)
    }
}

@Suite("WebSocketReader byte splits with compression")
struct WebSocketReaderCompressedSplitTests {
    @Test("compressed, fragmented input gives the same events at every split point")
    func everySplit() throws {
        let compressor = try PerMessageDeflateCompressor()
        let compressed = compressor.compress(Array("split me anywhere, split me anywhere".utf8))
        let input = clientFrame(.text, Array(compressed.prefix(5)), fin: false, rsv1: true) + clientFrame(.pong, [1])
            + clientFrame(.continuation, Array(compressed.dropFirst(5)))
            + clientFrame(.binary, compressor.compress([1, 2, 3]), rsv1: true)
        let (events, agree) = eventsForEverySplit(input, makeReader: { deflateReader() })
        #expect(agree)
        #expect(events == [.pong([1]), .message(.text("split me anywhere, split me anywhere")), .message(.binary([1, 2, 3]))])
    }
}

@Suite("WebSocketReader fail-fast UTF-8")
struct WebSocketReaderFailFastTests {
    @Test("invalid UTF-8 at the start of a large text frame fails before the frame is complete")
    func failsBeforeFrameEnds() {
        let frame = clientFrame(.text, [0x61, 0xC0] + Array(repeating: 0x61, count: 1000))
        var reader = WebSocketReader()
        let (_, event) = reader.read(Array(frame.prefix(20)))
        #expect(event == .protocolError(.invalidUTF8))
    }

    @Test("the same holds inside a continuation frame, and valid prefixes keep waiting")
    func continuation() {
        let first = clientFrame(.text, Array("ok ".utf8), fin: false)
        let second = clientFrame(.continuation, [0xE2, 0x82] + Array(repeating: 0x61, count: 500))
        var reader = WebSocketReader()
        // The continuation's header is 8 bytes (16-bit length + mask); stop inside the code point.
        let valid = reader.read(first + Array(second.prefix(10)))
        #expect(valid.event == .needMoreData)
        let invalid = reader.read(Array(second.dropFirst(10).prefix(1)))  // 'a' cannot continue E2 82
        #expect(invalid.event == .protocolError(.invalidUTF8))
    }

    @Test("binary frames are never UTF-8 checked while arriving")
    func binaryNotChecked() {
        let frame = clientFrame(.binary, [0xC0, 0xFF] + Array(repeating: 0, count: 100))
        var reader = WebSocketReader()
        #expect(reader.read(Array(frame.prefix(30))).event == .needMoreData)
    }
}
