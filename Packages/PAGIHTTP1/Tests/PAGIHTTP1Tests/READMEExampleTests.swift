import PAGIHTTP1
import Testing

/// The README's usage snippet, compiled and run so it cannot rot.
@Suite("README example")
struct READMEExampleTests {
    @Test func readmeSnippetRuns() throws {
        var parser = HTTP1RequestParser()            // one per connection; HTTP1Limits() = spec defaults
        var serializer = HTTP1ResponseSerializer()   // one per connection (holds the per-second Date cache)
        var received: [UInt8] = Array("GET /hello?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n".utf8)
        var output: [UInt8] = []

        loop: while true {
            let result = received.withUnsafeBytes { parser.parse($0) }
            defer { received.removeFirst(result.consumed) }   // a server moves its ByteBuffer reader index instead
            switch result.event {
            case .needMoreData:
                break loop                                   // read more from the socket, then call again
            case .head:
                let head = parser.head                       // method, rawPath, queryString, headers, framing, keepAlive…
                let fields: [(name: [UInt8], value: [UInt8])] = [(Array("content-length".utf8), Array("2".utf8))]
                try serializer.writeHead(status: 200, fields: fields, context: HTTP1ResponseContext(requestHead: head), into: &output)
                output += Array("hi".utf8)
            case .body(let range):
                _ = received[range]                          // body bytes, not copied
            case .end:
                continue                                     // next request (pipelining) starts on the next call
            case .error(let error):
                serializer.writeErrorResponse(for: error, into: &output)   // error.status is 400/413/414/431/501/505
                break loop                                   // then close the connection
            }
        }

        let text = String(decoding: output, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\ncontent-length: 2\r\ndate: "))
        #expect(text.hasSuffix("\r\nserver: PAGI-Swift\r\n\r\nhi"))
        #expect(received.isEmpty)
    }
}
