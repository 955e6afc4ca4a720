import NIOCore
import PAGI
import PAGIHTTP1
import PAGIAccessLog

/// The request body as the connection has read it and the application has not yet received it.
struct RequestBodyBuffer {
    /// Created on the first body part: most requests have no body, and an eagerly built ring
    /// buffer was one allocation and one free per request on the hello benchmark.
    private var parts: CircularBuffer<ByteBuffer>?
    private(set) var bufferedBytes = 0
    /// The decoder reported the end of the body.
    private(set) var isComplete: Bool
    /// The application was handed the event with `more == false`.
    var finalDelivered = false
    /// The application is done and the rest of the body is read only to be dropped.
    private(set) var isDraining = false
    /// Body bytes received so far (for the access log).
    private(set) var receivedBytes = 0

    init() {
        self.isComplete = false
    }

    mutating func append(_ bytes: ByteBuffer) {
        self.receivedBytes += bytes.readableBytes
        guard !self.isDraining, bytes.readableBytes > 0 else { return }
        if self.parts == nil {
            self.parts = CircularBuffer(initialCapacity: 2)
        }
        self.parts?.append(bytes)
        self.bufferedBytes += bytes.readableBytes
    }

    mutating func markComplete() {
        self.isComplete = true
    }

    mutating func startDraining() {
        self.isDraining = true
        self.parts = nil
        self.bufferedBytes = 0
    }

    /// The next `http.request` event, or `nil` when the application has to wait for more bytes.
    mutating func nextEvent() -> PAGIInboundEvent? {
        if let part = self.parts?.popFirst() {
            self.bufferedBytes -= part.readableBytes
            let more = !(self.isComplete && self.parts?.isEmpty ?? true)
            if !more { self.finalDelivered = true }
            return .httpRequest(body: part, more: more)
        }
        if self.isComplete && !self.finalDelivered {
            self.finalDelivered = true
            return .emptyHTTPRequest
        }
        return nil
    }
}

/// One request from head to the end of its application call. Confined to the connection's loop.
final class RequestInFlight {
    let method: String
    let isHEAD: Bool
    let version: HTTP1Version
    let expectsContinue: Bool
    let rawPath: [UInt8]
    /// ``rawPath`` percent-decoded, for the scope's `path`.
    let path: PAGIPath
    let queryString: [UInt8]
    let headers: PAGIHeaders
    let connection: PAGIConnectionState
    let transport: PAGITransportState
    /// When the head was parsed, for the access log's duration; `nil` with the log off (reading
    /// the two clocks was a measurable share of a hello request).
    let startedAt: ContinuousClock.Instant?
    /// The same instant on the wall clock, for the access log's timestamp.
    let startedAtWall: AccessLogTimestamp?

    var keepAlive: Bool
    var body: RequestBodyBuffer
    var response = HTTPResponseStateMachine()
    /// The framing chosen when the head was written; `nil` while nothing is on the wire.
    var framing: HTTP1ResponseFraming.Body?
    /// `http.response.start` held back until the first body, so that a single-body response can
    /// carry a computed `Content-Length` and go out in one write.
    var pendingStart: (status: Int, headers: PAGIHeaders)?
    var status: Int?
    var bodyBytesSent = 0
    var continueSent = false
    /// The head is parsed but the application has not been started yet.
    var awaitingDispatch = true
    var appFinished = false
    var receiveWaiter: CheckedContinuation<PAGIInboundEvent, any Error>?
    /// The parser's hint that the request asks to switch protocols (a WebSocket handshake, maybe).
    let isUpgradeRequest: Bool
    /// Set when the request became a `websocket` scope.
    var webSocket: WebSocketSession?
    /// Set when the request became an `sse` scope: `receive` then speaks `sse.*` events.
    var sse: SSESession?
    /// Why the server itself ended this SSE stream (shutdown, idle timeout); `receive` reports it.
    var sseEndReason: PAGIDisconnectReason?
    private(set) var lostReason: PAGIDisconnectReason?

    init(head: HTTP1RequestHead, target: (rawPath: [UInt8], path: PAGIPath), headers: PAGIHeaders, watermarks: PAGIWriteWatermarks, timed: Bool) {
        self.method = head.methodString
        self.isHEAD = head.method.elementsEqual("HEAD".utf8)
        self.version = head.version
        self.expectsContinue = head.expectsContinue
        self.isUpgradeRequest = head.isUpgradeRequest
        self.rawPath = target.rawPath
        self.path = target.path
        self.queryString = Array(head.queryString)
        self.headers = headers
        self.keepAlive = head.keepAlive
        self.connection = PAGIConnectionState()
        self.transport = PAGITransportState(highWaterMark: watermarks.high, lowWaterMark: watermarks.low)
        self.startedAt = timed ? .now : nil
        self.startedAtWall = timed ? AccessLogClock.now() : nil
        // Even a body-less request waits for the decoder's end event, so that the decoder and the
        // connection always agree on where the next request starts.
        self.body = RequestBodyBuffer()
    }

    var isConnectionLost: Bool { self.lostReason != nil }

    /// The application returned and nothing more needs reading before the next request.
    var isFinished: Bool { self.appFinished && self.body.isComplete }

    /// Records an abnormal end (protocol §6.4 order is kept by ``PAGIConnectionState``), then wakes
    /// a waiting `receive` with `http.disconnect`.
    func connectionLost(reason: PAGIDisconnectReason) {
        guard self.lostReason == nil else { return }
        self.lostReason = reason
        self.response.connectionClosed()
        self.connection.markDisconnected(reason)
        self.resumeReceiver()
    }

    /// Hands the next event to a `receive` that is waiting, if there is one.
    func resumeReceiver() {
        guard let waiter = self.receiveWaiter, let event = self.immediateEvent() else { return }
        self.receiveWaiter = nil
        waiter.resume(returning: event)
    }

    /// The event a `receive` gets right now, or `nil` when it has to wait.
    func immediateEvent() -> PAGIInboundEvent? {
        if self.sse != nil { return self.immediateSSEEvent() }
        if let event = self.body.nextEvent() { return event }
        if self.lostReason != nil { return .httpDisconnect }
        // Protocol §5.2: after the response was sent, receive reports the end of the request.
        if self.response.isComplete { return .httpDisconnect }
        return nil
    }

    /// The same for an `sse` scope: body parts as `sse.request`, then (only) `sse.disconnect`.
    private func immediateSSEEvent() -> PAGIInboundEvent? {
        if let event = self.body.nextEvent() {
            if case .httpRequest(let body, let more) = event { return .sseRequest(body: body, more: more) }
            return event
        }
        if let reason = self.lostReason { return .sseDisconnect(reason: reason) }
        // The stream (or the decline) ended and the connection closes: the client is gone for good.
        if self.response.isComplete { return .sseDisconnect(reason: self.sseEndReason ?? .clientClosed) }
        return nil
    }

    func updateTransport(bufferedBytes: Int) {
        self.transport.update(bufferedAmount: bufferedBytes)
    }
}

@available(*, unavailable)
extension RequestInFlight: Sendable {}
