import PAGIHTTP1
import Testing

@Suite("HTTP1TargetDecoder")
struct HTTP1TargetDecoderTests {
    @Test(arguments: [
        ("/plain", "/plain"), ("/a%20b", "/a b"), ("/a+b", "/a+b"), ("/a%2Fb", "/a/b"), ("/%e2%82%AC", "/€"),
        ("/bad%zz", "/bad%zz"), ("/end%", "/end%"), ("/end%4", "/end%4"), ("%%41", "%A"),
    ])
    func percentDecode(raw: String, decoded: String) {
        #expect(HTTP1TargetDecoder.percentDecode(Array(raw.utf8)) == Array(decoded.utf8))
    }

    @Test func invalidUTF8IsKeptAsBytes() {
        #expect(HTTP1TargetDecoder.percentDecode(Array("/%FF%00".utf8)) == [UInt8(ascii: "/"), 0xFF, 0x00])
    }
}
