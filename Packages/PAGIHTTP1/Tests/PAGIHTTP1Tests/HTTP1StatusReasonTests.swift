import PAGIHTTP1
import Testing

@Suite("HTTP1StatusReason")
struct HTTP1StatusReasonTests {
    @Test(arguments: [
        (100, "Continue"), (101, "Switching Protocols"), (200, "OK"), (204, "No Content"), (206, "Partial Content"),
        (304, "Not Modified"), (400, "Bad Request"), (413, "Payload Too Large"), (414, "URI Too Long"),
        (431, "Request Header Fields Too Large"), (501, "Not Implemented"), (505, "HTTP Version Not Supported"), (799, ""),
    ])
    func phrases(status: Int, phrase: String) {
        #expect(HTTP1StatusReason.phrase(for: status).description == phrase)
    }
}
