import PAGI
import Testing

@Suite("PAGIPath")
struct PAGIPathTests {
    @Test(
        "percent-decoding",
        arguments: [
            ("/", "/"),
            ("/a%20b", "/a b"),
            ("/a+b", "/a+b"),
            ("/a%2Fb", "/a/b"),
            ("/caf%C3%A9", "/café"),
            ("/%zz%4", "/%zz%4"),
            ("/100%", "/100%"),
            ("/%41%61", "/Aa"),
        ]
    )
    func decoding(raw: String, decoded: String) {
        let path = PAGIPath(decoding: Array(raw.utf8))
        #expect(path.text == decoded)
        #expect(!path.isLatin1Fallback)
        #expect(path.bytes == Array(decoded.utf8))
    }

    @Test("invalid UTF-8 falls back to Latin-1 text and keeps the exact bytes")
    func latin1Fallback() {
        let path = PAGIPath(decoding: Array("/a%FFb%C3".utf8))
        #expect(path.isLatin1Fallback)
        #expect(path.bytes == [0x2F, 0x61, 0xFF, 0x62, 0xC3])
        #expect(path.text == "/a\u{FF}b\u{C3}")
    }

    @Test("a path compares with a string")
    func comparison() {
        let path: PAGIPath = "/x"
        #expect(path == "/x")
        #expect(path.description == "/x")
    }
}
