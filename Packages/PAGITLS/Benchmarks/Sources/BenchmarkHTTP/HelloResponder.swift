// The HTTP side shared by the benchmark servers: not a real HTTP parser, it only finds the end of each request
// head, which is all wrk sends. `GET /big` answers 1 MiB (bulk throughput); anything else "Hello, World!". A
// request carrying `Connection: close` is answered and the connection closed (full-handshake rate).

public import NIOCore

/// Answers every complete request head in the buffer.
public final class HelloResponder: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    public init() {}

    private static let helloResponse: ByteBuffer = {
        let body = "Hello, World!"
        return ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }()
    private static let bigResponse: ByteBuffer = {
        var buffer = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1048576\r\n\r\n")
        buffer.writeRepeatingByte(UInt8(ascii: "x"), count: 1_048_576)
        return buffer
    }()
    private static let headEnd = Array("\r\n\r\n".utf8)
    private static let closeHeader = Array("onnection: close".utf8)

    private var pending = ByteBuffer()

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = Self.unwrapInboundIn(data)
        self.pending.writeBuffer(&incoming)
        var answered = false
        var close = false
        while let head = self.nextHead() {
            answered = true
            let response = head.starts(with: Array("GET /big".utf8)) ? Self.bigResponse : Self.helloResponse
            context.write(Self.wrapOutboundOut(response), promise: nil)
            if Self.contains(head, Self.closeHeader) {
                close = true
                break
            }
        }
        if answered { context.flush() }
        if close { context.close(promise: nil) }
    }

    private func nextHead() -> [UInt8]? {
        let view = self.pending.readableBytesView
        guard let end = Self.index(of: Self.headEnd, in: view) else { return nil }
        let length = end - view.startIndex + Self.headEnd.count
        let head = self.pending.readBytes(length: length)
        self.pending.discardReadBytes()
        return head
    }

    private static func index(of needle: [UInt8], in view: ByteBufferView) -> Int? {
        guard view.count >= needle.count else { return nil }
        var index = view.startIndex
        while index <= view.endIndex - needle.count {
            if view[index] == needle[0], view[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func contains(_ head: [UInt8], _ needle: [UInt8]) -> Bool {
        guard head.count >= needle.count else { return false }
        for start in 0...(head.count - needle.count) where head[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
