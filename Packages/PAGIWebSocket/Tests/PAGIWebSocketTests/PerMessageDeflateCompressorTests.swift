import Testing
import PAGIWebSocket

private func inflate(_ decompressor: PerMessageDeflateDecompressor, _ payload: [UInt8], limit: Int = 1 << 20) -> [UInt8]? {
    var output: [UInt8] = []
    let error = payload.withUnsafeBytes { decompressor.decompress($0, isFinal: true, appendingTo: &output, limit: limit) }
    return error == nil ? output : nil
}

@Suite("PerMessageDeflateCompressor")
struct PerMessageDeflateCompressorTests {
    @Test("RFC 7692 §7.2.3.1/7.2.3.2: 'Hello' compresses as in the RFC, and the second message reuses the window")
    func rfcExamples() throws {
        let decompressor = try PerMessageDeflateDecompressor()
        #expect(inflate(decompressor, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]) == Array("Hello".utf8))
        #expect(inflate(decompressor, [0xF2, 0x00, 0x11, 0x00, 0x00]) == Array("Hello".utf8))
        // The same bytes without context takeover lose the window and fail or differ.
        let fresh = try PerMessageDeflateDecompressor(noContextTakeover: true)
        #expect(inflate(fresh, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]) == Array("Hello".utf8))
        #expect(inflate(fresh, [0xF2, 0x00, 0x11, 0x00, 0x00]) != Array("Hello".utf8))
    }

    @Test("the 00 00 FF FF tail is stripped from compressed output")
    func tailStripped() throws {
        let compressor = try PerMessageDeflateCompressor(level: 6)
        let output = compressor.compress(Array("Hello".utf8))
        #expect(output == [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
        #expect(Array(output.suffix(4)) != [0x00, 0x00, 0xFF, 0xFF])
    }

    @Test("round trips with and without context takeover", arguments: [false, true])
    func roundTrip(noContextTakeover: Bool) throws {
        let compressor = try PerMessageDeflateCompressor(windowBits: 10, noContextTakeover: noContextTakeover)
        let decompressor = try PerMessageDeflateDecompressor(noContextTakeover: noContextTakeover)
        let messages: [[UInt8]] = [
            Array("The quick brown fox jumps over the lazy dog. ".utf8), [], (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 3) },
            Array("The quick brown fox jumps over the lazy dog. ".utf8),
        ]
        var sizes: [Int] = []
        for message in messages {
            let compressed = compressor.compress(message)
            sizes.append(compressed.count)
            #expect(inflate(decompressor, compressed) == message)
        }
        // With takeover the repeated sentence compresses to a back-reference.
        if noContextTakeover { #expect(sizes[3] == sizes[0]) } else { #expect(sizes[3] < sizes[0]) }
    }

    @Test("inflating stops at the limit: exactly the limit passes, one byte more fails")
    func limit() throws {
        let compressor = try PerMessageDeflateCompressor()
        let compressed = compressor.compress(Array(repeating: 0x41, count: 50_000))
        #expect(inflate(try PerMessageDeflateDecompressor(), compressed, limit: 50_000)?.count == 50_000)
        var output: [UInt8] = []
        let decompressor = try PerMessageDeflateDecompressor()
        let error = compressed.withUnsafeBytes { decompressor.decompress($0, isFinal: true, appendingTo: &output, limit: 49_999) }
        #expect(error == .messageTooLarge(limit: 49_999))
        #expect(output.count <= 50_000)
    }

    @Test("zlib rejects impossible parameters with a descriptive error")
    func badParameters() {
        #expect(throws: PerMessageDeflateError.self) { try PerMessageDeflateCompressor(windowBits: 8) }
        let error = PerMessageDeflateError(function: "deflateInit2", code: -2)
        #expect(error.description.contains("deflateInit2"))
    }
}

@Suite("PerMessageDeflateDecompressor")
struct PerMessageDeflateDecompressorTests {
    @Test("an empty message compresses to 0x00 (RFC 7692 §7.2.3.6) and inflates back to nothing")
    func emptyMessage() throws {
        let compressor = try PerMessageDeflateCompressor()
        #expect(compressor.compress([]) == [0x00])
        let decompressor = try PerMessageDeflateDecompressor()
        #expect(inflate(decompressor, [0x00]) == [])
        // The window is intact afterwards: a later message still inflates.
        #expect(inflate(decompressor, compressor.compress(Array("after".utf8))) == Array("after".utf8))
    }

    @Test("a compressed message with no payload bytes is empty and does not corrupt the stream")
    func emptyPayload() throws {
        let decompressor = try PerMessageDeflateDecompressor()
        #expect(inflate(decompressor, []) == [])
        #expect(inflate(decompressor, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]) == Array("Hello".utf8))
    }

    @Test("a message split across frames inflates as one")
    func fragmented() throws {
        let compressor = try PerMessageDeflateCompressor()
        let text = Array(String(repeating: "fragment ", count: 500).utf8)
        let compressed = compressor.compress(text)
        let decompressor = try PerMessageDeflateDecompressor()
        var output: [UInt8] = []
        var error: WebSocketProtocolError?
        for (index, byte) in compressed.enumerated() where error == nil {
            error = [byte].withUnsafeBytes {
                decompressor.decompress($0, isFinal: index == compressed.count - 1, appendingTo: &output, limit: 1 << 20)
            }
        }
        #expect(error == nil)
        #expect(output == text)
    }
}
