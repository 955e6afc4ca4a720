import PAGIHTTP1
import Testing

@Suite("HTTP1ChunkedEncoder")
struct HTTP1ChunkedEncoderTests {
    @Test(arguments: [(1, "1"), (15, "f"), (16, "10"), (4096, "1000"), (0xABCDEF, "abcdef"), (Int.max, "7fffffffffffffff")])
    func chunkHeaderIsLowerCaseHex(length: Int, hex: String) {
        var output: [UInt8] = []
        HTTP1ChunkedEncoder.writeChunkHeader(length: length, into: &output)
        #expect(output == Array("\(hex)\r\n".utf8))
    }

    @Test func chunkAndLastChunk() {
        var output: [UInt8] = []
        Array("hello".utf8).withUnsafeBytes { HTTP1ChunkedEncoder.writeChunk($0, into: &output) }
        [UInt8]().withUnsafeBytes { HTTP1ChunkedEncoder.writeChunk($0, into: &output) }
        HTTP1ChunkedEncoder.writeLastChunk(into: &output)
        #expect(output == Array("5\r\nhello\r\n0\r\n\r\n".utf8))
    }

    @Test func trailers() throws {
        var output: [UInt8] = []
        try HTTP1ChunkedEncoder.writeLastChunk(trailers: fields([("x-checksum", "abc"), ("x-b", "2")]), into: &output)
        #expect(output == Array("0\r\nx-checksum: abc\r\nx-b: 2\r\n\r\n".utf8))
    }

    @Test func trailerInjectionIsRefused() {
        var output: [UInt8] = []
        #expect(throws: HTTP1SerializationError.valueHasLineBreakOrNUL(fieldIndex: 0)) {
            try HTTP1ChunkedEncoder.writeLastChunk(trailers: fields([("x", "a\r\nb: c")]), into: &output)
        }
        #expect(output.isEmpty)
    }

    @Test func roundTripThroughTheParser() throws {
        var body: [UInt8] = []
        for piece in ["Hello, ", "", "chunked ", "world"] {
            Array(piece.utf8).withUnsafeBytes { HTTP1ChunkedEncoder.writeChunk($0, into: &body) }
        }
        try HTTP1ChunkedEncoder.writeLastChunk(trailers: fields([("X-Done", "yes")]), into: &body)
        let request = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + String(decoding: body, as: UTF8.self)
        let outputs = parseVerifyingSplits(request)
        #expect(outputs.dropFirst() == [.body(Array("Hello, chunked world".utf8)), .end(trailers: ["x-done: yes"])])
    }
}
