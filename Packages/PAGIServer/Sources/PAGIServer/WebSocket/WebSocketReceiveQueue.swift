import NIOCore
import PAGI

/// The bounded queue between a WebSocket's reader and the app's `receive` (issue 9:
/// `max_receive_queue`, protocol §7.3/§7.4: overflow → Close `1008`).
///
/// A value-type state machine: the connection handler keeps the suspended `receive`
/// continuation and does what each action says.
///
/// - Messages queue up to `limit`; the message that would exceed it is refused with
///   ``EnqueueAction/overflow`` (the handler closes with `1008` and reports
///   ``WebSocketEndCause/receiveQueueOverflow``). Messages already queued stay deliverable: the
///   app drains them, then gets the disconnect (server-behaviour §12.2).
/// - The terminal `websocket.disconnect` is always accepted, whatever the queue holds, and once
///   the queue is drained every later `receive` returns it again.
/// - One `receive` at a time: a second concurrent one is refused, because two readers of one
///   ordered stream would each see a random half of it.
struct WebSocketReceiveQueue: Sendable {
    enum EnqueueAction: Sendable, Hashable {
        /// A `receive` is suspended: resume it with this event.
        case resumeWaiter(PAGIInboundEvent)
        case queued
        /// The queue is full: close with `1008` and end the connection.
        case overflow
        /// The connection already ended: drop the event.
        case dropped
    }

    enum ReceiveAction: Sendable, Hashable {
        case deliver(PAGIInboundEvent)
        /// Nothing queued: keep the continuation until an enqueue resumes it.
        case suspend
        case reject(String)
    }

    /// The largest number of undelivered messages (`max_receive_queue`).
    let limit: Int
    private var queue = CircularBuffer<PAGIInboundEvent>()
    private var disconnect: PAGIInboundEvent?
    private(set) var hasWaiter = false

    /// - Parameter limit: `max_receive_queue`; at least 1.
    init(limit: Int) {
        precondition(limit >= 1, "max_receive_queue must be at least 1; the configuration validates it")
        self.limit = limit
    }

    /// Events waiting for the app, the terminal disconnect included.
    var count: Int { self.queue.count }

    /// A message (or `websocket.connect`) from the reader.
    mutating func enqueue(_ event: PAGIInboundEvent) -> EnqueueAction {
        guard self.disconnect == nil else { return .dropped }
        if self.hasWaiter {
            self.hasWaiter = false
            return .resumeWaiter(event)
        }
        guard self.queue.count < self.limit else { return .overflow }
        self.queue.append(event)
        return .queued
    }

    /// The connection ended: `event` is the `websocket.disconnect` the app gets after the
    /// queued messages. A second call is ignored (the first cause wins).
    mutating func finish(_ event: PAGIInboundEvent) -> EnqueueAction {
        guard self.disconnect == nil else { return .dropped }
        self.disconnect = event
        if self.hasWaiter {
            self.hasWaiter = false
            return .resumeWaiter(event)
        }
        return .queued
    }

    /// The app called `receive`.
    mutating func receive() -> ReceiveAction {
        guard !self.hasWaiter else {
            return .reject("receive called while another receive on this WebSocket is still waiting; call it from one task at a time")
        }
        if let event = self.queue.popFirst() {
            return .deliver(event)
        }
        if let disconnect = self.disconnect {
            return .deliver(disconnect)
        }
        self.hasWaiter = true
        return .suspend
    }

    /// The suspended `receive` was cancelled; the handler resumes it with `CancellationError`.
    mutating func cancelWaiter() {
        self.hasWaiter = false
    }
}
