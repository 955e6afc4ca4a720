import NIOCore
import PAGI
import Testing

@testable import PAGIServer

@Suite("RequestBodyBuffer")
struct RequestBodyBufferTests {
    @Test("a body-less request yields exactly one empty final event")
    func emptyBody() {
        var body = RequestBodyBuffer()
        #expect(body.nextEvent() == nil)
        body.markComplete()
        #expect(body.nextEvent() == .httpRequest(body: ByteBuffer(), more: false))
        #expect(body.nextEvent() == nil)
        #expect(body.finalDelivered)
    }

    @Test("parts come out in order; the last one carries more == false once the end is known")
    func parts() {
        var body = RequestBodyBuffer()
        body.append(ByteBuffer(string: "ab"))
        body.append(ByteBuffer(string: "cd"))
        #expect(body.bufferedBytes == 4)
        #expect(body.nextEvent() == .httpRequest(body: ByteBuffer(string: "ab"), more: true))
        body.markComplete()
        #expect(body.nextEvent() == .httpRequest(body: ByteBuffer(string: "cd"), more: false))
        #expect(body.nextEvent() == nil)
        #expect(body.receivedBytes == 4)
    }

    @Test("a part delivered before the end is known keeps more == true, then an empty final follows")
    func endAfterLastPart() {
        var body = RequestBodyBuffer()
        body.append(ByteBuffer(string: "x"))
        #expect(body.nextEvent() == .httpRequest(body: ByteBuffer(string: "x"), more: true))
        body.markComplete()
        #expect(body.nextEvent() == .httpRequest(body: ByteBuffer(), more: false))
    }

    @Test("draining drops buffered and later bytes but still counts them")
    func draining() {
        var body = RequestBodyBuffer()
        body.append(ByteBuffer(string: "abc"))
        body.startDraining()
        body.append(ByteBuffer(string: "def"))
        #expect(body.bufferedBytes == 0)
        #expect(body.receivedBytes == 6)
        #expect(body.nextEvent() == nil)
    }
}
