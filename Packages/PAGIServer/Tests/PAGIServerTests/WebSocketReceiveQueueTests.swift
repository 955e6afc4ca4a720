import NIOCore
import PAGI
import Testing

@testable import PAGIServer

@Suite("WebSocketReceiveQueue")
struct WebSocketReceiveQueueTests {
    private static func text(_ value: String) -> PAGIInboundEvent { .websocketReceive(.text(value)) }
    private static let closed = PAGIInboundEvent.websocketDisconnect(code: 1000, reason: "")

    @Test("queued messages are delivered in order, then receive suspends")
    func fifo() {
        var queue = WebSocketReceiveQueue(limit: 10)
        #expect(queue.enqueue(.websocketConnect) == .queued)
        #expect(queue.enqueue(Self.text("a")) == .queued)
        #expect(queue.receive() == .deliver(.websocketConnect))
        #expect(queue.receive() == .deliver(Self.text("a")))
        #expect(queue.receive() == .suspend)
        #expect(queue.hasWaiter)
    }

    @Test("an enqueue resumes a waiting receive directly")
    func resumesWaiter() {
        var queue = WebSocketReceiveQueue(limit: 1)
        #expect(queue.receive() == .suspend)
        #expect(queue.enqueue(Self.text("a")) == .resumeWaiter(Self.text("a")))
        #expect(!queue.hasWaiter)
        #expect(queue.count == 0)
    }

    @Test("limit: just under is queued, just over overflows", arguments: [1, 2, 1000])
    func limit(limit: Int) {
        var queue = WebSocketReceiveQueue(limit: limit)
        for index in 0..<limit {
            #expect(queue.enqueue(Self.text(String(index))) == .queued)
        }
        #expect(queue.count == limit)
        #expect(queue.enqueue(Self.text("over")) == .overflow)
        #expect(queue.count == limit)
    }

    @Test("after an overflow the app drains what was queued, then gets the disconnect, repeatedly")
    func drainThenDisconnect() {
        var queue = WebSocketReceiveQueue(limit: 2)
        _ = queue.enqueue(Self.text("a"))
        _ = queue.enqueue(Self.text("b"))
        #expect(queue.enqueue(Self.text("c")) == .overflow)
        let overflow = WebSocketEndCause.receiveQueueOverflow.disconnectEvent
        #expect(queue.finish(overflow) == .queued)
        #expect(queue.receive() == .deliver(Self.text("a")))
        #expect(queue.receive() == .deliver(Self.text("b")))
        #expect(queue.receive() == .deliver(overflow))
        #expect(queue.receive() == .deliver(overflow))
    }

    @Test("the disconnect resumes a waiting receive; later events and causes are dropped")
    func finishResumes() {
        var queue = WebSocketReceiveQueue(limit: 1)
        #expect(queue.receive() == .suspend)
        #expect(queue.finish(Self.closed) == .resumeWaiter(Self.closed))
        #expect(queue.enqueue(Self.text("late")) == .dropped)
        #expect(queue.finish(.websocketDisconnect(code: 1006, reason: "client_closed")) == .dropped)
        #expect(queue.receive() == .deliver(Self.closed))
    }

    @Test("a second concurrent receive is refused; a cancelled one can be retried")
    func concurrentReceive() {
        var queue = WebSocketReceiveQueue(limit: 1)
        #expect(queue.receive() == .suspend)
        guard case .reject(let message) = queue.receive() else {
            Issue.record("expected a rejection")
            return
        }
        #expect(message.contains("one task at a time"))
        queue.cancelWaiter()
        #expect(queue.receive() == .suspend)
    }
}
