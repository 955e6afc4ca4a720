import NIOCore
import NIOPosix
import PAGI
import PAGIHTTP1

/// Drives one HTTP/1.1 connection: parses requests with PAGIHTTP1, runs the application for each
/// one on this connection's event loop, and writes its responses in order.
///
/// Contract (RFC 9112 §9.3): requests are served strictly one at a time; bytes of pipelined
/// requests wait in the receive buffer until the previous response is complete. While a request is
/// in flight, reads from the socket stop once its unread body exceeds ``bodyBufferLimit`` or the
/// body is complete, so a client cannot make the server buffer more than that. An unread request
/// body is drained (read and dropped) before the next request is parsed, never mistaken for it.
///
/// All state is confined to the channel's event loop. The application's `receive` and `send`
/// reach it through `NIOLoopBound`; they always run on the loop because the request task prefers
/// the loop's task executor.
final class HTTPConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = IOData

    /// Body bytes buffered for the application before reads stop: 64 KiB, the reference server's
    /// largest `http.request` fragment.
    static let bodyBufferLimit = 65536

    enum Phase {
        /// Waiting for (the rest of) a request head.
        case awaitingHead
        /// A request is in flight.
        case inRequest
        /// The WebSocket handshake completed: input is frames, not requests.
        case webSocket
        /// The current response is done and its body drained; the connection closes when writes flush.
        case closing
        case closed
    }

    let connectionContext: ConnectionContext
    let executor: EventLoopTaskExecutor
    let channel: any Channel
    var decoder: RequestDecoder
    var serializer = HTTP1ResponseSerializer()
    var contentLengthDigits = ContentLengthDigitsCache()
    var pathCache = RequestPathCache()
    var headCache = ResponseHeadCache()
    var phase: Phase = .awaitingHead
    /// Received bytes not parsed yet; `nil` once all were consumed, so that the transport (NIO's
    /// receive-buffer pool, the TLS handler's recycled plaintext buffer) can reuse the storage.
    var receiveBuffer: ByteBuffer?
    var request: RequestInFlight?
    var readHeld = false
    var isProcessingInput = false
    var inputClosed = false
    var quiescing = false
    var idleTimer: Scheduled<Void>?
    var idleDeadline = NIODeadline.distantFuture
    var stallTimer: Scheduled<Void>?
    var writabilityWaiters: [CheckedContinuation<Void, Never>] = []
    var context: ChannelHandlerContext?
    /// Requests served on this connection, for the access log and diagnostics.
    var requestCount = 0
    var cachedAddresses: (client: PAGIClientAddress?, server: PAGIServerAddress?)?
    /// TLS or cleartext: the source of every scope's `scheme` and `tls` extension.
    var security: ConnectionSecurity

    init(context: ConnectionContext, channel: any Channel, security: ConnectionSecurity = .cleartext) {
        self.connectionContext = context
        self.channel = channel
        self.security = security
        self.executor = EventLoopTaskExecutor(eventLoop: channel.eventLoop)
        self.decoder = RequestDecoder(limits: context.configuration.limits)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive {
            self.armIdleTimer()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.cancelTimers()
    }

    func channelActive(context: ChannelHandlerContext) {
        self.armIdleTimer()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        if self.receiveBuffer == nil || self.receiveBuffer?.readableBytes == 0 {
            self.receiveBuffer = bytes
        } else {
            self.receiveBuffer?.writeBuffer(&bytes)
        }
        if let request = self.request {
            if let session = request.webSocket, self.phase == .webSocket {
                self.resetWebSocketIdleTimer(session, request: request, onWrite: false)
            } else {
                self.resetStallTimer()
            }
        } else {
            self.armIdleTimer()
        }
        self.processInput()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // HTTP responses flush as they are written; WebSocket frames written while reading (pongs,
        // echoes) wait for the end of the read so that they leave together.
        if self.phase == .webSocket {
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if self.shouldHoldReads {
            self.readHeld = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let event as ChannelEvent where event == .inputClosed:
            self.inputClosed = true
            self.peerStoppedSending()
        case is ServerQuiesceEvent:
            self.quiesce()
        case is ServerForceCloseEvent:
            self.abort(reason: .serverShutdown)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.request?.updateTransport(bufferedBytes: self.bufferedBytes)
        if context.channel.isWritable {
            self.resumeWritabilityWaiters()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.phase = .closed
        self.cancelTimers()
        self.resumeWritabilityWaiters()
        if let request = self.request {
            self.lose(request, reason: .clientClosed)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Reset by peer, broken pipe, failed TLS: the connection is gone; anything in flight sees a write error.
        ConnectionSecurity.logIfTLSError(error, logger: self.connectionContext.logger)
        if let request = self.request {
            self.lose(request, reason: .writeError)
        }
        context.close(promise: nil)
    }

    // MARK: Input processing

    /// Whether reading from the socket must wait: a request is in flight and either its body is
    /// complete (the rest is a pipelined request) or enough of it is buffered.
    var shouldHoldReads: Bool {
        switch self.phase {
        case .awaitingHead:
            return false
        case .inRequest:
            guard let request = self.request else { return false }
            return request.body.isComplete || request.body.bufferedBytes >= Self.bodyBufferLimit
        case .webSocket:
            return false
        case .closing, .closed:
            return true
        }
    }

    func releaseHeldRead() {
        guard self.readHeld, !self.shouldHoldReads, let context = self.context else { return }
        self.readHeld = false
        context.read()
    }

    /// Parses as much buffered input as the current phase allows. Re-entrant calls (an application
    /// finishing synchronously inside `channelRead`) just let the running loop continue.
    func processInput() {
        guard !self.isProcessingInput else { return }
        self.isProcessingInput = true
        defer { self.isProcessingInput = false }
        if self.phase == .webSocket {
            self.processWebSocketInput()
            return
        }
        while true {
            while self.processStep() {}
            // The application starts only after the body bytes already received were parsed, so
            // its first receive usually finds them without suspending. If it finishes inline,
            // the loop goes on with the next pipelined request.
            guard let request = self.request, request.awaitingDispatch else { break }
            request.awaitingDispatch = false
            self.dispatch(request)
            if self.phase == .webSocket {
                // The app accepted inline; what follows the handshake is frames.
                self.processWebSocketInput()
                return
            }
        }
        self.releaseHeldRead()
    }

    /// One parsing step; `true` when progress was made and another step may make more.
    private func processStep() -> Bool {
        var buffer = self.receiveBuffer ?? ByteBuffer()
        switch self.phase {
        case .awaitingHead:
            guard buffer.readableBytes > 0 else { return false }
            self.receiveBuffer = nil  // keep the buffer uniquely referenced while the decoder reads it
            let result = self.decoder.next(&buffer)
            self.receiveBuffer = buffer.readableBytes > 0 ? buffer : nil
            switch result {
            case .needMoreData:
                return false
            case .head(let head):
                self.startRequest(head)
                return true
            case .body, .end:
                preconditionFailure("the request decoder produced body events before a head")
            case .error(let error):
                self.rejectRequest(error, request: nil)
                return false
            }
        case .inRequest:
            guard let request = self.request, !request.body.isComplete else { return false }
            guard request.body.isDraining || request.body.bufferedBytes < Self.bodyBufferLimit else { return false }
            // Zero-length steps are allowed: the end of a body-less request, or of a body whose
            // last byte came in the previous step, is reported without new input.
            self.receiveBuffer = nil
            let result = self.decoder.next(&buffer)
            self.receiveBuffer = buffer.readableBytes > 0 ? buffer : nil
            switch result {
            case .needMoreData:
                return false
            case .head:
                preconditionFailure("the request decoder produced a head before the previous body ended")
            case .body(let bytes):
                request.body.append(bytes)
                request.resumeReceiver()
                return true
            case .end:
                request.body.markComplete()
                request.resumeReceiver()
                if request.isFinished {
                    self.continueAfter(request)
                }
                return true
            case .error(let error):
                self.rejectRequest(error, request: request)
                return false
            }
        case .webSocket, .closing, .closed:
            return false
        }
    }

    // MARK: Timers

    /// Pushes the idle deadline forward. Scheduling a timer per read or per request cost more than
    /// the request itself, so one timer stays armed and, when it fires early, re-arms for the
    /// remaining time; while a request is in flight it does nothing (the idle timer is suspended).
    func armIdleTimer() {
        guard let timeout = self.connectionContext.configuration.timeouts.idle, timeout > .zero else { return }
        self.idleDeadline = .now() + TimeAmount(timeout)
        if self.idleTimer == nil {
            self.scheduleIdleTimer()
        }
    }

    private func scheduleIdleTimer() {
        let handler = NIOLoopBound(self, eventLoop: self.channel.eventLoop)
        self.idleTimer = self.channel.eventLoop.scheduleTask(deadline: self.idleDeadline) {
            handler.value.idleTimerFired()
        }
    }

    private func idleTimerFired() {
        self.idleTimer = nil
        // A request in flight suspends the idle timer; finishing it re-arms the timer.
        guard self.request == nil, self.phase == .awaitingHead else { return }
        if NIODeadline.now() < self.idleDeadline {
            self.scheduleIdleTimer()
            return
        }
        self.context?.close(promise: nil)
    }

    func resetStallTimer() {
        self.stallTimer?.cancel()
        self.stallTimer = nil
        guard let request = self.request, request.webSocket == nil, request.sse == nil,
            let timeout = self.connectionContext.configuration.timeouts.requestStall, timeout > .zero
        else { return }
        let handler = NIOLoopBound(self, eventLoop: self.channel.eventLoop)
        self.stallTimer = self.channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            handler.value.stallTimerFired(timeout)
        }
    }

    private func stallTimerFired(_ timeout: Duration) {
        self.stallTimer = nil
        guard self.request != nil else { return }
        self.connectionContext.logger.log(.warn, "Request stall timeout (\(timeout)) - closing connection")
        self.abort(reason: .clientTimeout)
    }

    func cancelTimers() {
        self.idleTimer?.cancel()
        self.idleTimer = nil
        self.stallTimer?.cancel()
        self.stallTimer = nil
    }

    // MARK: Connection-level endings

    /// The peer half-closed its side. Between requests that ends the connection; in the middle of
    /// a body it is a disconnect; after a complete request the response is still delivered.
    private func peerStoppedSending() {
        switch self.phase {
        case .awaitingHead:
            self.context?.close(promise: nil)
        case .inRequest:
            guard let request = self.request else { return }
            if !request.body.isComplete || request.webSocket != nil || request.sse != nil {
                // A half-closed WebSocket or event-stream client is gone: nothing more to read.
                self.abort(reason: .clientClosed)
            }
        case .webSocket:
            if let request = self.request {
                self.endWebSocket(request, cause: .dropped(.clientClosed))
            }
        case .closing, .closed:
            break
        }
    }

    private func quiesce() {
        self.quiescing = true
        switch self.phase {
        case .awaitingHead:
            if let grace = self.connectionContext.configuration.process.lameDuckPeriod {
                // Another process takes over the listener: answer a request already on its way
                // with `Connection: close` rather than resetting it; close if none comes.
                self.idleDeadline = .now() + TimeAmount(grace)
                self.idleTimer?.cancel()
                self.scheduleIdleTimer()
                return
            }
            // A partially received request head is dropped: the client never got a response to it
            // and may retry on a new connection.
            self.context?.close(promise: nil)
        case .inRequest:
            guard let request = self.request else { return }
            request.keepAlive = false
            if request.sse != nil {
                // Streams end now, cleanly: last chunk, `sse.disconnect` with `server_shutdown`.
                self.serverEndsSSE(request, reason: .serverShutdown)
            }
        case .webSocket:
            // Close 1001 to the peer, `websocket.disconnect` to the app.
            if let request = self.request {
                self.endWebSocket(request, cause: .serverShutdown)
            }
        case .closing, .closed:
            break
        }
    }

    /// Closes now; an in-flight request sees `reason`.
    func abort(reason: PAGIDisconnectReason) {
        if let request = self.request {
            self.lose(request, reason: reason)
        }
        self.phase = .closing
        self.context?.close(promise: nil)
    }

    /// The connection is gone (or being dropped) under `request`: tell whichever scope it serves.
    func lose(_ request: RequestInFlight, reason: PAGIDisconnectReason) {
        if request.webSocket != nil {
            self.endWebSocket(request, cause: reason == .serverShutdown ? .dropped(.serverShutdown) : .dropped(reason))
        }
        request.sse?.cancelTimers()
        request.connectionLost(reason: reason)
    }

    var bufferedBytes: Int {
        (try? self.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
    }

    func resumeWritabilityWaiters() {
        let waiters = self.writabilityWaiters
        self.writabilityWaiters = []
        for waiter in waiters { waiter.resume() }
    }
}

@available(*, unavailable)
extension HTTPConnectionHandler: Sendable {}
