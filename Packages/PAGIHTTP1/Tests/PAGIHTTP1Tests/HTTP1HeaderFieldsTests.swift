import PAGIHTTP1
import Testing

@Suite("HTTP1HeaderFields")
struct HTTP1HeaderFieldsTests {
    @Test func lookupIsCaseInsensitiveAndKeepsDuplicates() throws {
        var parser = HTTP1RequestParser()
        let request = Array("GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\nX-Dup: 1\r\nx-dup: 2\r\n\r\n".utf8)
        #expect(request.withUnsafeBytes { parser.parse($0) }.event == .head)
        let headers = parser.head.headers
        #expect(headers.count == 4)
        #expect(headers.first(name: "ACCEPT").map { Array($0) } == Array("a".utf8))
        #expect(headers.first(name: "missing") == nil)
        #expect(headers.values(name: "X-DUP").map { Array($0) } == [Array("1".utf8), Array("2".utf8)])
        #expect(headers[2].nameString == "x-dup")
        #expect(headers[3].valueString == "2")
    }
}
