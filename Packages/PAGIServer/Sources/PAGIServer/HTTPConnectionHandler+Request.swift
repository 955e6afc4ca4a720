import NIOCore
import PAGI
import PAGIHTTP1

extension HTTPConnectionHandler {
    // MARK: Starting a request

    func startRequest(_ head: HTTP1RequestHead) {
        self.requestCount += 1
        let headers = Self.scopeHeaders(head.headers)
        let request = RequestInFlight(
            head: head,
            target: self.pathCache.lookup(head.rawPath),
            headers: headers,
            watermarks: self.connectionContext.configuration.watermarks,
            timed: self.connectionContext.accessLog.isEnabled
        )
        if self.quiescing { request.keepAlive = false }
        if let limit = self.connectionContext.configuration.process.maxRequestsPerConnection, self.requestCount >= limit {
            request.keepAlive = false
        }
        self.request = request
        self.phase = .inRequest
        self.resetStallTimer()
    }

    /// Builds the scope and starts the application on this loop.
    func dispatch(_ request: RequestInFlight) {
        // Scope type (protocol §8.1): a WebSocket upgrade first, then an event stream, else http.
        if request.isUpgradeRequest, self.dispatchWebSocketIfUpgrade(request) {
            return
        }
        if SSEScopeDetector.acceptsEventStream(request.headers) {
            self.dispatchSSE(request)
            return
        }
        let configuration = self.connectionContext.configuration
        let scope = HTTPScope(
            request: self.requestInfo(request, scheme: self.security.httpScheme, extensions: self.security.scopeExtensions(configuration.extensions)),
            connection: request.connection
        )

        ApplicationCall(
            scope: .http(scope),
            app: self.connectionContext.app,
            handler: self,
            request: request,
            extensions: configuration.extensions
        ).start()
    }

    /// The request headers as the application sees them: names lower-cased, order and duplicates
    /// kept, except that several `Cookie` fields are joined with `"; "` into one (protocol §3.4).
    static func scopeHeaders(_ fields: HTTP1HeaderFields) -> PAGIHeaders {
        var headers = PAGIHeaders(capacity: fields.count)
        var cookieCount = 0
        for field in fields {
            if field.name.count == 6, field.name.elementsEqual("cookie".utf8) {
                cookieCount += 1
                if cookieCount > 1 { continue }
            }
            field.name.withUnsafeBytes { name in
                field.value.withUnsafeBytes { value in
                    headers.add(nameBytes: name, valueBytes: value)
                }
            }
        }
        guard cookieCount > 1 else { return headers }
        let joined = fields.filter { $0.name.elementsEqual("cookie".utf8) }.map(\.valueString).joined(separator: "; ")
        var merged = PAGIHeaders(capacity: fields.count)
        for field in headers {
            if field.nameBytes.elementsEqual("cookie".utf8) {
                merged.add(name: "cookie", value: joined)
            } else {
                merged.add(nameBytes: Array(field.nameBytes), valueBytes: Array(field.valueBytes))
            }
        }
        return merged
    }

    /// The peer, computed once per connection: formatting the address allocates.
    var clientAddress: PAGIClientAddress? {
        if let cached = self.cachedAddresses { return cached.client }
        self.cacheAddresses()
        return self.cachedAddresses?.client
    }

    /// The local end (`[path, nil]` for Unix sockets), computed once per connection.
    var serverAddress: PAGIServerAddress? {
        if let cached = self.cachedAddresses { return cached.server }
        self.cacheAddresses()
        return self.cachedAddresses?.server
    }

    private func cacheAddresses() {
        var client: PAGIClientAddress?
        if let address = self.channel.remoteAddress, let host = address.ipAddress, let port = address.port {
            client = PAGIClientAddress(host: host, port: port)
        }
        var server: PAGIServerAddress?
        if let address = self.channel.localAddress {
            if let host = address.ipAddress {
                server = PAGIServerAddress(host: host, port: address.port)
            } else {
                server = PAGIServerAddress(host: address.pathname ?? "", port: nil)
            }
        }
        self.cachedAddresses = (client, server)
    }

    // MARK: receive

    nonisolated(nonsending) func receive(for request: RequestInFlight) async throws -> PAGIInboundEvent {
        if let event = request.immediateEvent() {
            self.releaseHeldRead()
            return event
        }
        if request.expectsContinue, !request.continueSent, !request.body.isComplete, !request.response.hasStarted {
            request.continueSent = true
            self.writeInterim100Continue()
        }
        // Body bytes may already be buffered but not parsed (reads were held): parse them now.
        self.processInput()
        self.releaseHeldRead()
        if let event = request.immediateEvent() {
            return event
        }
        precondition(request.receiveWaiter == nil, "two concurrent receive calls on one request; await each receive before the next")
        // A cancelled task gets CancellationError instead of waiting (PAGIReceive's contract); body
        // bytes that arrive later stay buffered for the next receive. The cancel handler may run on
        // any thread, so it hops to the loop, where the waiter lives.
        let boundRequest = NIOLoopBound(request, eventLoop: self.channel.eventLoop)
        let eventLoop = self.channel.eventLoop
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                request.receiveWaiter = continuation
            }
        } onCancel: {
            eventLoop.execute {
                let request = boundRequest.value
                guard let waiter = request.receiveWaiter else { return }
                request.receiveWaiter = nil
                waiter.resume(throwing: CancellationError())
            }
        }
    }

    private func writeInterim100Continue() {
        guard let context = self.context else { return }
        var buffer = context.channel.allocator.buffer(capacity: 25)
        HTTP1ResponseSerializer.writeContinue(into: &buffer)
        context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
    }

    // MARK: send

    nonisolated(nonsending) func send(_ event: PAGIOutboundEvent, for request: RequestInFlight) async throws {
        guard !request.isConnectionLost, self.request === request else { return }
        if request.framing != nil || request.pendingStart != nil {
            self.resetStallTimer()
        }
        switch event {
        case .httpResponseStart(let status, let headers, let trailers):
            switch request.response.start(trailers: trailers) {
            case .writeHead:
                request.pendingStart = (status, headers)
                request.status = status
                request.connection.markResponseStarted()
                self.resetStallTimer()
            case .dropSilently:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .httpResponseBody(let body, let more):
            let isFile: Bool
            if case .bytes = body { isFile = false } else { isFile = true }
            let action = request.response.body(final: isFile || !more)
            switch action {
            case .dropSilently:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            case .writePart, .writeFinal, .writeFinalAwaitTrailers:
                try await self.waitForWritability(request)
                guard !request.isConnectionLost else { return }
                switch body {
                case .bytes(let bytes):
                    self.writeBody(bytes, action: action, request: request)
                case .file(let path, let offset, let length):
                    try await self.writeFile(path: path, offset: offset, length: length, action: action, request: request)
                case .fileDescriptor(let descriptor, let offset, let length):
                    try await self.writeFileDescriptor(descriptor, offset: offset, length: length, action: action, request: request)
                }
            }
        case .httpResponseTrailers(let trailers):
            switch request.response.trailers() {
            case .writeTrailersAndComplete:
                self.writeTrailers(trailers, request: request)
            case .dropSilently:
                return
            case .reject(let message):
                throw PAGIEventError.invalidState(event.type, message)
            }
        case .httpFullFlush:
            self.context?.flush()
        default:
            // validate(for: .http) already refused every other type.
            throw PAGIEventError.unrecognized(event.type, scope: .http)
        }
    }

    /// Back-pressure (protocol §9): a body send (http or sse) waits while the outbound buffer is at
    /// or above the high-water mark, until NIO reports the channel writable again (below the low mark).
    nonisolated(nonsending) func waitForWritability(_ request: RequestInFlight) async throws {
        while !self.channel.isWritable, !request.isConnectionLost, self.context != nil {
            request.updateTransport(bufferedBytes: self.bufferedBytes)
            self.context?.flush()
            await withCheckedContinuation { continuation in
                self.writabilityWaiters.append(continuation)
            }
        }
    }

    // MARK: Finishing

    /// The application's call returned or threw: apply the back-stop, log, and decide what the
    /// connection does next.
    func applicationFinished(_ request: RequestInFlight, error: (any Error)?) {
        request.appFinished = true
        let logger = self.connectionContext.logger
        if let error {
            if request.isConnectionLost {
                // The client is gone; nothing to answer and (protocol §5.6) no error to report
                // unless the failure is the application's own.
                if !(error is CancellationError) {
                    logger.applicationError("PAGI application error: \(error)")
                }
            } else if request.response.hasStarted && request.framing != nil {
                logger.applicationError("PAGI application error (after response started): \(error)")
                self.abortAfterApplicationFailure(request)
            } else {
                logger.applicationError("PAGI application error: \(error)")
                self.writeServerErrorResponse(request)
            }
        } else if !request.isConnectionLost {
            if request.pendingStart == nil && request.framing == nil {
                logger.applicationError("PAGI application error: the application returned without sending http.response.start")
                self.writeServerErrorResponse(request)
            } else if !request.response.isComplete {
                // Started but never finished: the client cannot find the end of the body.
                if let pending = request.pendingStart {
                    // Nothing is on the wire yet: send the head with an empty, complete body.
                    _ = pending
                    _ = request.response.body(final: true)
                    self.writeBody(ByteBuffer(), action: .writeFinal, request: request)
                } else {
                    logger.applicationError("PAGI application error: the application returned before completing its response")
                    self.abortAfterApplicationFailure(request)
                }
            }
        }
        self.logAccess(request)
        self.continueAfter(request)
    }

    private func abortAfterApplicationFailure(_ request: RequestInFlight) {
        request.connectionLost(reason: .serverError)
        self.phase = .closing
        self.context?.close(promise: nil)
    }

    /// The no-response back-stop and the "threw before start" answer: 500, then close.
    private func writeServerErrorResponse(_ request: RequestInFlight) {
        request.status = 500
        request.connection.markResponseStarted()
        request.keepAlive = false
        self.writeErrorResponse(status: 500, body: "Internal Server Error")
        request.connectionLost(reason: .serverError)
    }

    /// After the application finished: next request, drain the unread body, or close.
    func continueAfter(_ request: RequestInFlight) {
        guard self.request === request else { return }
        if request.isConnectionLost || !request.keepAlive || self.quiescing || self.inputClosed || !request.response.isComplete {
            self.closeAfterFlush()
            return
        }
        if !request.body.isComplete {
            // Drain, never reparse: the rest of this body is read and dropped before the next
            // request (the reference server parsed it as a request, server-behaviour §4 ⚠).
            request.body.startDraining()
            self.processInput()
            return
        }
        self.finishRequest()
    }

    /// The request is over on a connection that stays open: wait for the next one.
    func finishRequest() {
        self.request = nil
        self.phase = .awaitingHead
        self.stallTimer?.cancel()
        self.stallTimer = nil
        if self.quiescing {
            self.closeAfterFlush()
            return
        }
        self.armIdleTimer()
        self.processInput()
    }

    func closeAfterFlush() {
        self.phase = .closing
        self.request = nil
        guard let context = self.context else { return }
        // Close after the last write completed so the response is not cut short.
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(ByteBuffer())), promise: promise)
        promise.futureResult.assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
