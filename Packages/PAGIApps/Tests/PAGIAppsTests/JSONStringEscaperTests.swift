import NIOCore
import Testing

@testable import PAGIApps

@Suite struct JSONStringEscaperTests {
    private func escaped(_ bytes: [UInt8]) -> String {
        var buffer = ByteBuffer()
        JSONStringEscaper.write(bytes: bytes, to: &buffer)
        return String(decoding: buffer.readableBytesView, as: UTF8.self)
    }

    @Test func quotesBackslashAndNamedControls() {
        #expect(self.escaped(Array("a\"b\\c\u{08}\u{0C}\n\r\t".utf8)) == #""a\"b\\c\b\f\n\r\t""#)
    }

    @Test func otherControlsBecomeUnicodeEscapes() {
        #expect(self.escaped([0x00, 0x01, 0x1F, 0x7F]) == "\"\\u0000\\u0001\\u001f\u{7F}\"")
    }

    @Test func validUTF8PassesThrough() {
        #expect(self.escaped(Array("héllo ✓ 😀".utf8)) == "\"héllo ✓ 😀\"")
    }

    @Test(arguments: [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x41, 0x80, 0x42]] as [[UInt8]])
    func invalidUTF8MapsEveryByteToOneCharacter(_ bytes: [UInt8]) {
        let expected = "\"" + String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })) + "\""
        #expect(self.escaped(bytes) == expected)
    }

    @Test func emptyString() {
        #expect(self.escaped([]) == "\"\"")
    }
}
