import NIOCore
import PAGI
import PAGIHTTP1
import PAGIWebSocket

/// The `websocket` scope (protocol §7, server-behaviour §12): handshake, frames in and out, the
/// closing handshake, limits and timers. Everything runs on the connection's event loop.
extension HTTPConnectionHandler {
    // MARK: Handshake

    /// The request headers as PAGIWebSocket's handshake validator reads them.
    static func handshakeHeaders(_ headers: PAGIHeaders) -> [(name: String, value: String)] {
        headers.map { (name: $0.name, value: $0.value) }
    }

    /// An upgrade request: a bad handshake is refused here (400/426) and never reaches the app;
    /// a good one starts the app with a `websocket` scope.
    /// - Returns: `false` when the request does not ask for a WebSocket at all (another
    ///   `Upgrade`, e.g. `h2c`); it is then served as a plain request.
    func dispatchWebSocketIfUpgrade(_ request: RequestInFlight) -> Bool {
        let headers = Self.handshakeHeaders(request.headers)
        guard WebSocketHandshake.isUpgradeRequest(headers: headers) else { return false }
        let version = request.version == .http1_0 ? "1.0" : "1.1"
        switch WebSocketHandshake.validate(method: request.method, httpVersion: version, headers: headers) {
        case .failure(let error):
            self.refuseHandshake(error, request: request)
        case .success(let offer):
            self.dispatchWebSocket(request, offer: offer)
        }
        return true
    }

    private func refuseHandshake(_ error: WebSocketHandshakeError, request: RequestInFlight) {
        self.connectionContext.logger.log(.debug, "WebSocket handshake refused: \(error)")
        request.status = error.status
        request.keepAlive = false
        if let context = self.context {
            let body = error.description + "\n"
            var fields: [(name: [UInt8], value: [UInt8])] = error.responseHeaders.map { (Array($0.name.utf8), Array($0.value.utf8)) }
            fields.append((Array("content-type".utf8), Array("text/plain; charset=utf-8".utf8)))
            fields.append((Array("content-length".utf8), Array(String(body.utf8.count).utf8)))
            var out = context.channel.allocator.buffer(capacity: 256 + body.utf8.count)
            let responseContext = HTTP1ResponseContext(version: .http1_1, isHeadRequest: request.isHEAD, keepAlive: false)
            do {
                try self.serializer.writeHead(status: error.status, fields: fields, context: responseContext, into: &out)
                if !request.isHEAD {
                    out.writeString(body)
                    request.bodyBytesSent = body.utf8.count
                }
                context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
            } catch {
                self.writeErrorResponse(status: 400, body: "Bad Request")
            }
        }
        request.appFinished = true
        self.logAccess(request)
        self.closeAfterFlush()
    }

    private func dispatchWebSocket(_ request: RequestInFlight, offer: WebSocketHandshakeOffer) {
        let configuration = self.connectionContext.configuration
        let session = WebSocketSession(offer: offer, receiveQueueLimit: configuration.limits.maxReceiveQueue)
        request.webSocket = session
        // After a WebSocket the connection is never reused for HTTP.
        request.keepAlive = false
        self.stallTimer?.cancel()
        self.stallTimer = nil
        _ = session.queue.enqueue(.websocketConnect)

        var scopeExtensions = self.security.scopeExtensions(configuration.extensions)
        scopeExtensions.entries[PAGIExtensions.webSocketHTTPResponse] = [:]
        let extensions = scopeExtensions
        let scope = WebSocketScope(
            request: self.requestInfo(request, scheme: self.security.webSocketScheme, extensions: extensions),
            subprotocols: offer.subprotocols
        )
        ApplicationCall(
            scope: .websocket(scope),
            app: self.connectionContext.app,
            handler: self,
            request: request,
            extensions: extensions
        ).start()
    }

    // MARK: receive

    nonisolated(nonsending) func webSocketReceive(_ request: RequestInFlight) async throws -> PAGIInboundEvent {
        guard let session = request.webSocket else { preconditionFailure("webSocketReceive on a request without a WebSocket session") }
        switch session.queue.receive() {
        case .deliver(let event):
            return event
        case .reject(let message):
            throw PAGIEventError.invalidState("websocket.receive", message)
        case .suspend:
            // A cancelled task gets CancellationError instead of waiting for the next message; the
            // message stays queued for the next receive. The cancel handler may run on any thread,
            // so it hops to the loop, where the waiter lives.
            let boundSession = NIOLoopBound(session, eventLoop: self.channel.eventLoop)
            let eventLoop = self.channel.eventLoop
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    if Task.isCancelled {
                        session.queue.cancelWaiter()
                        continuation.resume(throwing: CancellationError())
                        return
                    }
                    session.receiveWaiter = continuation
                }
            } onCancel: {
                eventLoop.execute {
                    let session = boundSession.value
                    guard let waiter = session.receiveWaiter else { return }
                    session.receiveWaiter = nil
                    session.queue.cancelWaiter()
                    waiter.resume(throwing: CancellationError())
                }
            }
        }
    }

    /// Hands an inbound event to the app's queue; overflow ends the connection with `1008`.
    private func enqueueWebSocketEvent(_ event: PAGIInboundEvent, session: WebSocketSession, request: RequestInFlight) {
        switch session.queue.enqueue(event) {
        case .resumeWaiter(let event):
            let waiter = session.receiveWaiter
            session.receiveWaiter = nil
            waiter?.resume(returning: event)
        case .queued, .dropped:
            break
        case .overflow:
            self.connectionContext.logger.log(.warn, "WebSocket receive queue overflow (\(session.queue.limit) messages) - closing with 1008")
            self.endWebSocket(request, cause: .receiveQueueOverflow)
        }
    }

    // MARK: send

    nonisolated(nonsending) func webSocketSend(_ event: PAGIOutboundEvent, request: RequestInFlight) async throws {
        guard let session = request.webSocket else { preconditionFailure("webSocketSend on a request without a WebSocket session") }
        switch event {
        case .websocketAccept(let subprotocol, let headers):
            switch session.sendMachine.accept() {
            case .completeHandshake:
                self.completeHandshake(request, session: session, subprotocol: subprotocol, headers: headers)
            case .ignore:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .websocketSend(let message):
            switch session.sendMachine.send() {
            case .sendMessage:
                try await self.waitForWebSocketWritability(session)
                guard !session.closeSent, !session.ended else { return }
                self.writeWebSocketMessage(message, session: session, flush: true)
                self.resetWebSocketIdleTimer(session, request: request, onWrite: true)
            case .ignore:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .websocketClose(let code, let reason):
            switch session.sendMachine.close() {
            case .refuseHandshakeWith403:
                self.refuseAfterApp(request, session: session, status: 403, body: "Forbidden")
            case .sendCloseFrame:
                self.sendCloseFrame(code: code, reason: reason, session: session, request: request)
            case .ignore:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .websocketKeepalive(let interval, let timeout):
            switch session.sendMachine.keepalive() {
            case .reschedulePings:
                self.applyKeepalive(session.keepalive.configure(interval: interval, timeout: timeout), session: session, request: request)
            case .ignore:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .websocketHTTPResponseStart(let status, let headers):
            switch session.sendMachine.denialStart() {
            case .writeDenialHead:
                try await self.send(.httpResponseStart(status: status, headers: headers), for: request)
            case .ignore:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .websocketHTTPResponseBody(let body, let more):
            switch session.sendMachine.denialBody(more: more) {
            case .writePart:
                try await self.send(.httpResponseBody(.bytes(body), more: true), for: request)
            case .writeFinalAndClose:
                try await self.send(.httpResponseBody(.bytes(body), more: false), for: request)
                session.ended = true
                if self.request === request { self.closeAfterFlush() }
            case .ignore:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        default:
            throw PAGIEventError.unrecognized(event.type, scope: .websocket)
        }
    }

    private func completeHandshake(_ request: RequestInFlight, session: WebSocketSession, subprotocol: String?, headers: PAGIHeaders) {
        guard let context = self.context, self.request === request, !request.isConnectionLost else {
            session.sendMachine.connectionEnded()
            return
        }
        let configuration = self.connectionContext.configuration
        let limits = WebSocketLimits(
            maxFrameSize: configuration.limits.maxWebSocketFrameSize,
            maxMessageSize: configuration.limits.maxWebSocketMessageSize
        )
        var deflate: PerMessageDeflateParameters?
        if configuration.webSocketCompression {
            deflate = PerMessageDeflateNegotiator.negotiate(offers: session.offer.extensions, configuration: PerMessageDeflateConfiguration())
        }
        do {
            session.reader = try WebSocketReader(limits: limits, deflate: deflate)
            session.writer = try WebSocketWriter(deflate: deflate)
        } catch {
            // zlib could not allocate a stream: go on without compression rather than fail.
            self.connectionContext.logger.log(.warn, "permessage-deflate unavailable (\(error)); WebSocket continues uncompressed")
            deflate = nil
            session.reader = WebSocketReader(limits: limits)
            session.writer = WebSocketWriter()
        }
        session.deflate = deflate
        var out = context.channel.allocator.buffer(capacity: 256)
        out.writeStaticString("HTTP/1.1 101 Switching Protocols\r\n")
        for field in session.offer.responseHeaders(subprotocol: subprotocol, deflate: deflate) {
            out.writeString(field.name)
            out.writeStaticString(": ")
            out.writeString(field.value)
            out.writeStaticString("\r\n")
        }
        for field in headers {
            out.writeBytes(field.nameBytes)
            out.writeStaticString(": ")
            out.writeBytes(field.valueBytes)
            out.writeStaticString("\r\n")
        }
        out.writeStaticString("\r\n")
        context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
        request.status = 101
        request.connection.markResponseStarted()
        self.phase = .webSocket
        self.resetWebSocketIdleTimer(session, request: request, onWrite: false)
        if self.quiescing {
            self.endWebSocket(request, cause: .serverShutdown)
            return
        }
        // Frames that arrived before the accept are processed now (server-behaviour §12.1).
        self.processInput()
        self.releaseHeldRead()
    }

    /// `websocket.close` before accept, or the app returned without answering: an HTTP refusal.
    private func refuseAfterApp(_ request: RequestInFlight, session: WebSocketSession, status: Int, body: String) {
        session.ended = true
        guard self.request === request, !request.isConnectionLost else { return }
        request.status = status
        request.bodyBytesSent = body.utf8.count
        self.writeErrorResponse(status: status, body: body)
        self.closeAfterFlush()
    }

    private func sendCloseFrame(code: Int, reason: String, session: WebSocketSession, request: RequestInFlight) {
        guard !session.closeSent, !session.ended, let context = self.context else { return }
        session.scratch.removeAll(keepingCapacity: true)
        WebSocketFrameSerializer.writeClose(
            WebSocketClosePayload(code: WebSocketCloseCode(rawValue: UInt16(clamping: code)), reason: reason),
            into: &session.scratch
        )
        var out = context.channel.allocator.buffer(capacity: session.scratch.count)
        out.writeBytes(session.scratch)
        context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
        session.closeSent = true
        // Wait for the peer's Close (RFC 6455 §7.1.1: the server closes TCP after it), bounded.
        let timeout = self.connectionContext.configuration.timeouts.webSocketCloseHandshake
        let handler = NIOLoopBound(self, eventLoop: self.channel.eventLoop)
        let boundRequest = NIOLoopBound(request, eventLoop: self.channel.eventLoop)
        session.closeTimer?.cancel()
        session.closeTimer = self.channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            handler.value.endWebSocket(boundRequest.value, cause: .dropped(.clientTimeout))
        }
    }

    // MARK: Writing frames

    func writeWebSocketMessage(_ message: PAGIWebSocketMessage, session: WebSocketSession, flush: Bool) {
        guard let context = self.context else { return }
        if session.deflate == nil, let out = Self.singleFrame(message, allocator: context.channel.allocator) {
            if flush {
                context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
            } else {
                context.write(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
            }
            return
        }
        session.scratch.removeAll(keepingCapacity: true)
        switch message {
        case .text(var text):
            text.withUTF8 { bytes in
                session.writer?.writeMessage(opcode: .text, payload: UnsafeRawBufferPointer(bytes), into: &session.scratch)
            }
        case .binary(let bytes):
            bytes.withUnsafeReadableBytes { payload in
                session.writer?.writeMessage(opcode: .binary, payload: payload, into: &session.scratch)
            }
        }
        var out = context.channel.allocator.buffer(capacity: session.scratch.count)
        out.writeBytes(session.scratch)
        if flush {
            context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
        } else {
            context.write(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
        }
    }

    /// An uncompressed message that fits one frame, header and payload written straight into one
    /// buffer (the common case: no scratch array, one copy of the payload); `nil` for larger ones.
    private static func singleFrame(_ message: PAGIWebSocketMessage, allocator: ByteBufferAllocator) -> ByteBuffer? {
        func frame(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer) -> ByteBuffer? {
            guard payload.count <= 65536 else { return nil }
            let headerLength = WebSocketFrameSerializer.headerLength(payloadLength: payload.count, masked: false)
            var out = allocator.buffer(capacity: headerLength + payload.count)
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: headerLength) { bytes in
                WebSocketFrameSerializer.writeHeader(WebSocketFrameHeader(opcode: opcode, payloadLength: payload.count), into: bytes)
            }
            out.writeBytes(payload)
            return out
        }
        switch message {
        case .text(var text):
            return text.withUTF8 { frame(.text, UnsafeRawBufferPointer($0)) }
        case .binary(let bytes):
            return bytes.withUnsafeReadableBytes { frame(.binary, $0) }
        }
    }

    private func writeControlFrame(_ write: (inout [UInt8]) -> Void, session: WebSocketSession, flush: Bool) {
        guard let context = self.context else { return }
        session.scratch.removeAll(keepingCapacity: true)
        write(&session.scratch)
        var out = context.channel.allocator.buffer(capacity: session.scratch.count)
        out.writeBytes(session.scratch)
        if flush {
            context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
        } else {
            context.write(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
        }
    }

    /// Back-pressure (protocol §9): a `websocket.send` waits while the outbound buffer is above
    /// the high-water mark.
    private nonisolated(nonsending) func waitForWebSocketWritability(_ session: WebSocketSession) async throws {
        while !self.channel.isWritable, !session.ended, self.context != nil {
            self.context?.flush()
            await withCheckedContinuation { continuation in
                self.writabilityWaiters.append(continuation)
            }
        }
    }

    // MARK: Inbound frames

    /// Parses buffered input as WebSocket frames and acts on each event.
    func processWebSocketInput() {
        guard let request = self.request, let session = request.webSocket, session.reader != nil else { return }
        guard var buffer = self.receiveBuffer, buffer.readableBytes > 0 else { return }
        self.receiveBuffer = nil
        var wrotePong = false
        defer {
            if wrotePong { self.context?.flush() }
        }
        while buffer.readableBytes > 0, !session.ended || session.awaitingPeerClose {
            let (consumed, event) = buffer.withUnsafeReadableBytes { bytes in
                session.reader!.read(bytes)  // checked non-nil above; only completeHandshake sets it
            }
            buffer.moveReaderIndex(forwardBy: consumed)
            if session.ended {
                // Only the peer's Close matters now; after a framing error nothing can be parsed.
                switch event {
                case .close:
                    self.finishWebSocketClose(request)
                    return
                case .protocolError:
                    return
                case .needMoreData, .message, .ping, .pong:
                    if event == .needMoreData { return }
                    continue
                }
            }
            switch event {
            case .needMoreData:
                break
            case .message(let message):
                let converted: PAGIWebSocketMessage
                switch message {
                case .text(let text): converted = .text(text)
                case .binary(let bytes): converted = .binary(ByteBuffer(bytes: bytes))
                }
                self.enqueueWebSocketEvent(.websocketReceive(converted), session: session, request: request)
            case .ping(let payload):
                if !session.closeSent {
                    self.writeControlFrame({ WebSocketFrameSerializer.writePong(payload, into: &$0) }, session: session, flush: false)
                    wrotePong = true
                }
            case .pong:
                if session.keepalive.pongReceived() == .cancelPongTimer {
                    session.pongTimer?.cancel()
                    session.pongTimer = nil
                }
            case .close(let payload):
                self.endWebSocket(request, cause: .peerClosed(code: payload.code.map { Int($0.rawValue) }, reason: payload.reason))
            case .protocolError(let error):
                switch error {
                case .frameTooLarge, .messageTooLarge:
                    self.connectionContext.logger.log(.debug, "WebSocket closed with 1009: \(error)")
                    self.endWebSocket(request, cause: .frameTooLarge)
                default:
                    self.connectionContext.logger.log(.debug, "WebSocket protocol error: \(error)")
                    self.endWebSocket(request, cause: .protocolViolation(code: Int(error.closeCode.rawValue), message: error.closeReason))
                }
            }
            if event == .needMoreData { break }
        }
        if buffer.readableBytes > 0, !session.ended {
            self.receiveBuffer = buffer
        }
    }

    // MARK: Ending

    /// Ends the open (or opening) WebSocket: writes the Close frame the cause calls for, gives
    /// the app its `websocket.disconnect` after the queued messages, and closes the connection.
    func endWebSocket(_ request: RequestInFlight, cause: WebSocketEndCause) {
        guard let session = request.webSocket else { return }
        guard !session.ended else {
            // The peer went away while we waited for its Close: nothing left to wait for.
            if session.awaitingPeerClose, case .dropped = cause { self.finishWebSocketClose(request) }
            return
        }
        session.ended = true
        session.sendMachine.connectionEnded()
        session.cancelTimers()
        var wroteClose = false
        if self.phase == .webSocket, let frame = cause.closeFrame(alreadySentClose: session.closeSent), let context = self.context {
            session.scratch.removeAll(keepingCapacity: true)
            WebSocketFrameSerializer.writeClose(
                WebSocketClosePayload(code: frame.code.map { WebSocketCloseCode(rawValue: UInt16(clamping: $0)) }, reason: frame.reason),
                into: &session.scratch
            )
            var out = context.channel.allocator.buffer(capacity: session.scratch.count)
            out.writeBytes(session.scratch)
            context.write(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
            session.closeSent = true
            wroteClose = true
        }
        if case .dropped(let reason) = cause {
            request.connectionLost(reason: reason)
        } else if cause == .serverShutdown {
            request.connectionLost(reason: .serverShutdown)
        }
        if session.sendMachine.didOpen {
            switch session.queue.finish(cause.disconnectEvent) {
            case .resumeWaiter(let event):
                let waiter = session.receiveWaiter
                session.receiveWaiter = nil
                waiter?.resume(returning: event)
            case .queued, .dropped, .overflow:
                break
            }
        } else {
            // Never opened: the app still waits for its answer to websocket.connect; tell it the
            // client left (protocol §7.3 drop row).
            switch session.queue.finish(.websocketDisconnect(code: 1006, reason: PAGIDisconnectReason.clientClosed.rawValue)) {
            case .resumeWaiter(let event):
                let waiter = session.receiveWaiter
                session.receiveWaiter = nil
                waiter?.resume(returning: event)
            case .queued, .dropped, .overflow:
                break
            }
        }
        guard self.request === request, self.phase != .closed else { return }
        if wroteClose, case .peerClosed = cause {
            self.closeAfterFlush()
        } else if wroteClose {
            session.awaitingPeerClose = true
            // Lingering close: the Close frame, then FIN, then read (and drop) until the peer's
            // Close or EOF, so unread input never turns our close into a reset.
            if let context = self.context {
                let flushed = context.eventLoop.makePromise(of: Void.self)
                context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(ByteBuffer())), promise: flushed)
                flushed.futureResult.assumeIsolated().whenSuccess {
                    context.close(mode: .output, promise: nil)
                }
            }
            let handler = NIOLoopBound(self, eventLoop: self.channel.eventLoop)
            let boundRequest = NIOLoopBound(request, eventLoop: self.channel.eventLoop)
            let timeout = self.connectionContext.configuration.timeouts.webSocketCloseHandshake
            session.closeTimer = self.channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                handler.value.finishWebSocketClose(boundRequest.value)
            }
        } else {
            self.closeAfterFlush()
        }
    }

    /// The closing handshake is over (or given up on): close TCP once the Close frame is out.
    func finishWebSocketClose(_ request: RequestInFlight) {
        request.webSocket?.awaitingPeerClose = false
        request.webSocket?.closeTimer?.cancel()
        request.webSocket?.closeTimer = nil
        guard self.request === request, self.phase == .webSocket else { return }
        self.closeAfterFlush()
    }

    /// The app returned or threw.
    func webSocketApplicationFinished(_ request: RequestInFlight, error: (any Error)?) {
        request.appFinished = true
        guard let session = request.webSocket else { return }
        let logger = self.connectionContext.logger
        if let error, !(error is CancellationError && session.ended) {
            logger.applicationError("PAGI application error: \(error)")
        }
        switch session.sendMachine.appReturned() {
        case .refuseHandshakeWith403:
            if error != nil {
                self.refuseAfterApp(request, session: session, status: 500, body: "Internal Server Error")
            } else {
                self.refuseAfterApp(request, session: session, status: 403, body: "Forbidden")
            }
        case .endDenialAndClose:
            if self.request === request, !request.isConnectionLost {
                if request.pendingStart != nil || request.framing != nil, !request.response.isComplete {
                    _ = request.response.body(final: true)
                    self.writeBody(ByteBuffer(), action: .writeFinal, request: request)
                }
                self.closeAfterFlush()
            }
            session.ended = true
        case .sendNormalCloseFrame:
            if error != nil {
                self.sendCloseFrame(code: 1011, reason: "Internal Error", session: session, request: request)
            } else {
                self.sendCloseFrame(code: 1000, reason: "", session: session, request: request)
            }
        case .none:
            break
        }
        self.logAccess(request)
    }

    // MARK: Timers

    /// `ws_idle_timeout`: the connection is dropped when no frame arrived for that long.
    func resetWebSocketIdleTimer(_ session: WebSocketSession, request: RequestInFlight, onWrite: Bool) {
        guard !onWrite, let timeout = self.connectionContext.configuration.timeouts.webSocketIdle, timeout > .zero else { return }
        session.idleDeadline = .now() + TimeAmount(timeout)
        guard session.idleTimer == nil else { return }
        self.scheduleWebSocketIdleTimer(session, request: request)
    }

    private func scheduleWebSocketIdleTimer(_ session: WebSocketSession, request: RequestInFlight) {
        let handler = NIOLoopBound(self, eventLoop: self.channel.eventLoop)
        let boundRequest = NIOLoopBound(request, eventLoop: self.channel.eventLoop)
        session.idleTimer = self.channel.eventLoop.scheduleTask(deadline: session.idleDeadline) {
            let handler = handler.value
            let request = boundRequest.value
            guard let session = request.webSocket, !session.ended else { return }
            session.idleTimer = nil
            if NIODeadline.now() < session.idleDeadline {
                handler.scheduleWebSocketIdleTimer(session, request: request)
                return
            }
            handler.connectionContext.logger.log(.info, "WebSocket idle timeout - closing connection")
            handler.endWebSocket(request, cause: .dropped(.idleTimeout))
        }
    }

    private func applyKeepalive(_ action: WebSocketKeepaliveStateMachine.Action, session: WebSocketSession, request: RequestInFlight) {
        let handler = NIOLoopBound(self, eventLoop: self.channel.eventLoop)
        let boundRequest = NIOLoopBound(request, eventLoop: self.channel.eventLoop)
        switch action {
        case .reschedule(let pingAfter, let generation):
            session.pingTimer?.cancel()
            session.pingTimer = nil
            session.pongTimer?.cancel()
            session.pongTimer = nil
            if let pingAfter {
                session.pingTimer = self.channel.eventLoop.scheduleTask(in: TimeAmount(pingAfter)) {
                    guard let session = boundRequest.value.webSocket, !session.ended else { return }
                    handler.value.applyKeepalive(session.keepalive.pingTimerFired(generation: generation), session: session, request: boundRequest.value)
                }
            }
        case .sendPing(let nextPingAfter, let pongTimeout, let generation):
            if !session.closeSent {
                self.writeControlFrame({ WebSocketFrameSerializer.writePing(into: &$0) }, session: session, flush: true)
            }
            session.pingTimer = self.channel.eventLoop.scheduleTask(in: TimeAmount(nextPingAfter)) {
                guard let session = boundRequest.value.webSocket, !session.ended else { return }
                handler.value.applyKeepalive(session.keepalive.pingTimerFired(generation: generation), session: session, request: boundRequest.value)
            }
            if let pongTimeout {
                session.pongTimer?.cancel()
                session.pongTimer = self.channel.eventLoop.scheduleTask(in: TimeAmount(pongTimeout)) {
                    guard let session = boundRequest.value.webSocket, !session.ended else { return }
                    handler.value.applyKeepalive(session.keepalive.pongTimerFired(generation: generation), session: session, request: boundRequest.value)
                }
            }
        case .cancelPongTimer:
            session.pongTimer?.cancel()
            session.pongTimer = nil
        case .closeForKeepaliveTimeout:
            self.connectionContext.logger.log(.info, "WebSocket keepalive timeout (no pong) - closing connection")
            self.endWebSocket(request, cause: .dropped(.keepaliveTimeout))
        case .none:
            break
        }
    }
}
