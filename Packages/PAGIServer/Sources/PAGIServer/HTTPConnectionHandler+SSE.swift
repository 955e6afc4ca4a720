import NIOCore
import PAGI
import PAGIHTTP1

/// The `sse` scope (protocol §8, server-behaviour §13): the stream head, one HTTP/1.1 chunk per
/// event, comment or keepalive tick, the decline path, and the end of the stream.
extension HTTPConnectionHandler {
    // MARK: Starting

    func dispatchSSE(_ request: RequestInFlight) {
        let configuration = self.connectionContext.configuration
        let session = SSESession()
        request.sse = session
        self.stallTimer?.cancel()
        self.stallTimer = nil
        let scope = SSEScope(
            request: self.requestInfo(request, scheme: self.security.httpScheme, extensions: self.security.scopeExtensions(configuration.extensions))
        )
        self.resetSSEIdleTimer(session, request: request)
        ApplicationCall(
            scope: .sse(scope),
            app: self.connectionContext.app,
            handler: self,
            request: request,
            extensions: configuration.extensions
        ).start()
    }

    // MARK: send

    nonisolated(nonsending) func sseSend(_ event: PAGIOutboundEvent, request: RequestInFlight) async throws {
        guard let session = request.sse else { preconditionFailure("sseSend on a request without an SSE session") }
        if request.isConnectionLost || self.request !== request {
            _ = session.machine.peerDisconnected()
        }
        switch event {
        case .sseStart(let status, let headers):
            switch session.machine.start() {
            case .writeHead(let keepalive):
                _ = request.response.start(trailers: false)
                request.pendingStart = (status, SSEStartHeaders.complete(headers))
                request.status = status
                request.connection.markResponseStarted()
                _ = request.response.body(final: false)
                // The head goes out now, with chunked framing, so the client sees the stream open.
                self.writeBody(ByteBuffer(), action: .writePart, request: request)
                // The stream is never followed by another request on this connection.
                request.keepAlive = false
                if let keepalive { self.scheduleSSEKeepalive(keepalive, session: session, request: request) }
            case .dropSilently:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .sseSend(let message):
            switch session.machine.write(eventType: event.type) {
            case .write:
                try SSEEventSerializer.validate(message)
                try await self.sendSSEChunk(capacity: SSEEventSerializer.encodedSize(of: message), session: session, request: request) {
                    try SSEEventSerializer.writeEvent(message, into: &$0)
                }
            case .dropSilently:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .sseComment(let comment):
            switch session.machine.write(eventType: event.type) {
            case .write:
                try await self.sendSSEChunk(capacity: SSEEventSerializer.encodedSize(ofComment: comment), session: session, request: request) {
                    SSEEventSerializer.writeComment(comment, into: &$0)
                }
            case .dropSilently:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .sseKeepalive(let interval, let comment):
            switch session.machine.keepalive(SSESendStateMachine.Keepalive(interval: interval, comment: comment)) {
            case .reschedule(let keepalive):
                self.scheduleSSEKeepalive(keepalive, session: session, request: request)
            case .remember, .dropSilently:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .sseClose:
            switch session.machine.close() {
            case .endStream:
                self.endSSEStream(request, session: session)
            case .dropSilently:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .sseHTTPResponseStart(let status, let headers):
            switch session.machine.declineStart() {
            case .writeDeclineHead:
                // A decline closes the connection after its response.
                request.keepAlive = false
                try await self.send(.httpResponseStart(status: status, headers: headers), for: request)
            case .dropSilently:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .sseHTTPResponseBody(let body, let more):
            switch session.machine.declineBody(more: more) {
            case .writePart:
                try await self.send(.httpResponseBody(.bytes(body), more: true), for: request)
            case .writeFinalAndClose:
                try await self.send(.httpResponseBody(.bytes(body), more: false), for: request)
                session.cancelTimers()
                if self.request === request { self.closeAfterFlush() }
            case .dropSilently:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .httpFullFlush:
            self.context?.flush()
        default:
            throw PAGIEventError.unrecognized(event.type, scope: .sse)
        }
    }

    /// An application's event or comment as one chunk of the stream, once the connection takes
    /// writes again.
    private nonisolated(nonsending) func sendSSEChunk(
        capacity: Int,
        session: SSESession,
        request: RequestInFlight,
        encode: (inout ByteBuffer) throws -> Void
    ) async throws {
        try await self.waitForWritability(request)
        guard !request.isConnectionLost, self.request === request, let context = self.context else { return }
        var chunk = context.channel.allocator.buffer(capacity: capacity)
        try encode(&chunk)
        self.writeSSEChunk(chunk, request: request)
        self.resetSSEIdleTimer(session, request: request)
    }

    private func writeSSEChunk(_ chunk: ByteBuffer, request: RequestInFlight) {
        guard request.response.body(final: false) == .writePart else { return }
        self.writeBody(chunk, action: .writePart, request: request)
    }

    /// Writes the end of the stream (the last chunk) and closes the connection once it is flushed.
    func endSSEStream(_ request: RequestInFlight, session: SSESession) {
        session.cancelTimers()
        guard self.request === request else { return }
        if !request.isConnectionLost, request.framing != nil, !request.response.isComplete {
            if request.response.body(final: true) == .writeFinal {
                self.writeBody(ByteBuffer(), action: .writeFinal, request: request)
            }
        }
        self.closeAfterFlush()
    }

    // MARK: Finishing

    func sseApplicationFinished(_ request: RequestInFlight, error: (any Error)?) {
        request.appFinished = true
        guard let session = request.sse else { return }
        let logger = self.connectionContext.logger
        if let error, !(error is CancellationError && request.isConnectionLost) {
            logger.applicationError("PAGI application error: \(error)")
        }
        let alive = self.request === request && !request.isConnectionLost
        switch session.machine.appReturned() {
        case .sendInternalServerError:
            if alive {
                if error == nil {
                    logger.applicationError("PAGI application error: the application returned without sending sse.start")
                }
                request.status = 500
                request.connection.markResponseStarted()
                self.writeErrorResponse(status: 500, body: "Internal Server Error")
                request.connectionLost(reason: .serverError)
            }
        case .endStream:
            self.endSSEStream(request, session: session)
        case .endDeclineAndClose:
            if alive, !request.response.isComplete, request.response.body(final: true) == .writeFinal {
                self.writeBody(ByteBuffer(), action: .writeFinal, request: request)
            }
        case .none:
            break
        }
        session.cancelTimers()
        self.logAccess(request)
        if self.request === request { self.closeAfterFlush() }
    }

    /// The server ends the stream on its own (shutdown, idle timeout): the app gets
    /// `sse.disconnect` with `reason`, the client the end of the stream.
    func serverEndsSSE(_ request: RequestInFlight, reason: PAGIDisconnectReason) {
        guard let session = request.sse else { return }
        session.cancelTimers()
        switch session.machine.state {
        case .streaming:
            // The last chunk first: once the request counts as lost, nothing more is written.
            request.sseEndReason = reason
            self.endSSEStream(request, session: session)
            _ = session.machine.peerDisconnected()
            request.connectionLost(reason: reason)
        case .new, .declining:
            // Nothing streamed yet: the app may still answer; its response closes the connection.
            request.keepAlive = false
        case .declined, .closedByApp, .disconnected:
            break
        }
    }

    // MARK: Timers

    private func scheduleSSEKeepalive(_ keepalive: SSESendStateMachine.Keepalive, session: SSESession, request: RequestInFlight) {
        session.keepaliveTask?.cancel()
        session.keepaliveTask = nil
        guard keepalive.interval > 0 else { return }
        let handler = NIOLoopBound(self, eventLoop: self.channel.eventLoop)
        let boundRequest = NIOLoopBound(request, eventLoop: self.channel.eventLoop)
        let interval = TimeAmount(Duration.seconds(keepalive.interval))
        let comment = keepalive.comment
        session.keepaliveTask = self.channel.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { task in
            let handler = handler.value
            let request = boundRequest.value
            guard let session = request.sse, session.machine.isStreaming, !request.isConnectionLost, handler.request === request,
                let context = handler.context
            else {
                task.cancel()
                return
            }
            // A tick is skipped while the client is not reading: comments must not pile up.
            guard handler.channel.isWritable else { return }
            var chunk = context.channel.allocator.buffer(capacity: SSEEventSerializer.encodedSize(ofComment: comment))
            SSEEventSerializer.writeComment(comment, into: &chunk)
            handler.writeSSEChunk(chunk, request: request)
        }
    }

    /// `sse_idle_timeout`: the stream ends when the app sent no event or comment for that long.
    func resetSSEIdleTimer(_ session: SSESession, request: RequestInFlight) {
        guard let timeout = self.connectionContext.configuration.timeouts.sseIdle, timeout > .zero else { return }
        session.idleDeadline = .now() + TimeAmount(timeout)
        guard session.idleTimer == nil else { return }
        self.scheduleSSEIdleTimer(session, request: request)
    }

    private func scheduleSSEIdleTimer(_ session: SSESession, request: RequestInFlight) {
        let handler = NIOLoopBound(self, eventLoop: self.channel.eventLoop)
        let boundRequest = NIOLoopBound(request, eventLoop: self.channel.eventLoop)
        session.idleTimer = self.channel.eventLoop.scheduleTask(deadline: session.idleDeadline) {
            let handler = handler.value
            let request = boundRequest.value
            guard let session = request.sse, handler.request === request, !request.isConnectionLost else { return }
            session.idleTimer = nil
            if NIODeadline.now() < session.idleDeadline {
                handler.scheduleSSEIdleTimer(session, request: request)
                return
            }
            handler.connectionContext.logger.log(.info, "SSE idle timeout - closing stream")
            if session.machine.isStreaming {
                handler.serverEndsSSE(request, reason: .idleTimeout)
            } else {
                handler.abort(reason: .idleTimeout)
            }
        }
    }
}
