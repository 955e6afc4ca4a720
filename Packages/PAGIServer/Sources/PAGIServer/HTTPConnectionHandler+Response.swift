import NIOCore
import PAGI
import PAGIAccessLog
import PAGIHTTP1
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HTTPConnectionHandler {
    /// Bodies up to this size are copied behind the head so the response leaves in one buffer;
    /// larger ones go as a second buffer of the same `writev`.
    static let coalesceLimit = 4096

    // MARK: Head

    /// Writes the held-back `http.response.start`, choosing the framing now that the first body
    /// (and, if it is the last, its length) is known.
    /// - Parameter knownLength: The whole body's length when this is the only body event; a
    ///   response without `content-length` then gets one instead of chunked framing.
    func writePendingHead(_ request: RequestInFlight, knownLength: Int?, into buffer: inout ByteBuffer) {
        guard let (status, appHeaders) = request.pendingStart else { return }
        request.pendingStart = nil
        var headers = appHeaders
        // One scan instead of `contains(name:)` per name: each of those builds an array.
        var hasConnection = false
        var hasContentLength = false
        // Lengths first: comparing every name byte-wise with a `String.UTF8View` showed in the profile.
        _ = headers.containsField { name, _ in
            if name.count == 10, name.elementsEqual("connection".utf8) {
                hasConnection = true
            } else if name.count == 14, name.elementsEqual("content-length".utf8) {
                hasContentLength = true
            }
            return false
        }
        // Framing belongs to the server (protocol §5.3): the serializer drops an application's
        // transfer-encoding; its connection header is replaced by the server's own decision.
        if hasConnection {
            if headers.containsToken("close", inFieldNamed: "connection") { request.keepAlive = false }
            headers.removeAll(name: "connection")
        }
        var computedLength: ArraySlice<UInt8>?
        if let knownLength, !hasContentLength {
            computedLength = self.contentLengthDigits.digits(for: knownLength)
        }
        let context = HTTP1ResponseContext(version: request.version, isHeadRequest: request.isHEAD, keepAlive: request.keepAlive)
        let key = ResponseHeadCache.Key(
            status: status,
            epochSecond: HTTP1DateCache.currentEpochSecond(),
            context: context,
            contentLength: computedLength,
            headers: headers
        )
        do {
            let framing: HTTP1ResponseFraming
            if let cached = self.headCache.lookup(key) {
                buffer.writeBytes(cached.bytes)
                framing = cached.framing
            } else {
                var head: [UInt8] = []
                framing = try self.serializer.writeHead(
                    status: status,
                    fields: ResponseHeadFields(headers: headers, contentLength: computedLength),
                    context: context,
                    epochSecond: key.epochSecond,
                    into: &head
                )
                buffer.writeBytes(head)
                self.headCache.store(head, framing: framing, for: key)
            }
            request.framing = framing.body
            request.keepAlive = framing.keepAlive
        } catch {
            // PAGIOutboundEvent.validate refused unsafe fields before they got here; if the
            // serializer still refuses one, nothing was written and the connection cannot go on.
            preconditionFailure("a validated response head was refused by the serializer: \(error)")
        }
    }

    // MARK: Bodies

    func writeBody(_ bytes: ByteBuffer, action: HTTPResponseStateMachine.BodyAction, request: RequestInFlight) {
        guard let context = self.context else { return }
        let isFinal = action != .writePart
        let length = bytes.readableBytes
        let recycler = ResponseBufferRecycler.current
        var out = recycler.take(minimumCapacity: 256 + (length <= Self.coalesceLimit ? length : 0), allocator: context.channel.allocator)
        self.writePendingHead(request, knownLength: isFinal ? length : nil, into: &out)
        var separate: ByteBuffer?
        switch request.framing ?? .none {
        case .none:
            break
        case .contentLength, .untilClose:
            if length <= Self.coalesceLimit {
                var bytes = bytes
                out.writeBuffer(&bytes)
            } else {
                separate = bytes
            }
        case .chunked:
            if length > 0 {
                HTTP1ChunkedEncoder.writeChunkHeader(length: length, into: &out)
                if length <= Self.coalesceLimit {
                    var bytes = bytes
                    out.writeBuffer(&bytes)
                    out.writeStaticString("\r\n")
                } else {
                    var bytes = bytes
                    bytes.writeStaticString("\r\n")
                    separate = bytes
                }
            }
            if action == .writeFinal {
                if var tail = separate {
                    HTTP1ChunkedEncoder.writeLastChunk(into: &tail)
                    separate = tail
                } else {
                    HTTP1ChunkedEncoder.writeLastChunk(into: &out)
                }
            }
        }
        if !request.isHEAD {
            request.bodyBytesSent += length
        }
        if out.readableBytes > 0 {
            recycler.keep(out)
            context.write(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
        }
        if let separate {
            context.write(Self.wrapOutboundOut(.byteBuffer(separate)), promise: nil)
        }
        context.flush()
        if action == .writeFinal {
            self.responseCompleted(request)
        }
    }

    func writeTrailers(_ trailers: PAGIHeaders, request: RequestInFlight) {
        guard let context = self.context else { return }
        var out = context.channel.allocator.buffer(capacity: 64)
        self.writePendingHead(request, knownLength: nil, into: &out)
        // Trailers only exist on chunked responses; elsewhere they are dropped (server-behaviour §5.3).
        if request.framing == .chunked {
            do {
                try HTTP1ChunkedEncoder.writeLastChunk(trailers: trailers.lazy.map { (name: $0.nameBytes, value: $0.valueBytes) }, into: &out)
            } catch {
                preconditionFailure("validated trailers were refused by the serializer: \(error)")
            }
        }
        context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
        self.responseCompleted(request)
    }

    private func responseCompleted(_ request: RequestInFlight) {
        request.connection.markResponseComplete()
        request.resumeReceiver()
    }

    // MARK: Files

    nonisolated(nonsending) func writeFile(path: String, offset: Int64, length: Int64?, action: HTTPResponseStateMachine.BodyAction, request: RequestInFlight) async throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PAGIEventError.invalidField("http.response.body", "file", "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        try await self.writeOwnedDescriptor(descriptor, offset: offset, length: length, action: action, request: request)
    }

    /// The application keeps its descriptor (protocol §5.4); the server streams from a duplicate
    /// and the `send` returns only once every byte was written, so the application may close it then.
    nonisolated(nonsending) func writeFileDescriptor(_ descriptor: CInt, offset: Int64, length: Int64?, action: HTTPResponseStateMachine.BodyAction, request: RequestInFlight) async throws {
        let duplicate = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard duplicate >= 0 else {
            throw PAGIEventError.invalidField("http.response.body", "fh", "descriptor \(descriptor) is not open: \(String(cString: strerror(errno)))")
        }
        try await self.writeOwnedDescriptor(duplicate, offset: offset, length: length, action: action, request: request)
    }

    /// Streams `descriptor` (which this call owns and closes) with a `FileRegion`: NIO sends it
    /// with `sendfile(2)`, so the file is never loaded into memory.
    private nonisolated(nonsending) func writeOwnedDescriptor(_ descriptor: CInt, offset: Int64, length: Int64?, action: HTTPResponseStateMachine.BodyAction, request: RequestInFlight) async throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw PAGIEventError.invalidField("http.response.body", "file", "cannot stat the file: \(message)")
        }
        let size = Int64(info.st_size)
        // Past the end sends nothing (protocol §5.4; the reference server threw ⚠); a length
        // reaching past the end is cut at the end so the framing stays true.
        let start = min(max(offset, 0), size)
        let count = Int(min(length ?? (size - start), size - start))
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor)
        guard let context = self.context else {
            try? handle.close()
            return
        }
        var head = context.channel.allocator.buffer(capacity: 256)
        self.writePendingHead(request, knownLength: count, into: &head)
        let framing = request.framing ?? .none
        // Corked while the head and the file go out, as nginx's `tcp_nopush`: measured on loopback,
        // an uncorked 100 MiB sendfile ran at ~0.75x nginx's rate with ~1.3x its kernel time; corked,
        // on par. The cork comes off once everything was written.
        let corked = framing != .none && count > 0 && !self.security.isTLS && self.setCorked(true)
        if framing == .chunked, count > 0 {
            HTTP1ChunkedEncoder.writeChunkHeader(length: count, into: &head)
        }
        if head.readableBytes > 0 {
            context.write(Self.wrapOutboundOut(.byteBuffer(head)), promise: nil)
        }
        let done = context.eventLoop.makePromise(of: Void.self)
        if framing != .none, count > 0 {
            if self.security.isTLS {
                // TLS must encrypt every byte, so no sendfile: read the file in chunks off the loop.
                guard await self.writeFileChunks(handle, offset: Int64(start), count: count, context: context) else {
                    try? handle.close()
                    request.connectionLost(reason: .writeError)
                    return
                }
            } else {
                let region = FileRegion(fileHandle: handle, readerIndex: Int(start), endIndex: Int(start) + count)
                context.write(Self.wrapOutboundOut(.fileRegion(region)), promise: nil)
            }
        }
        var tail = context.channel.allocator.buffer(capacity: 16)
        if framing == .chunked {
            if count > 0 { tail.writeStaticString("\r\n") }
            if action == .writeFinal { HTTP1ChunkedEncoder.writeLastChunk(into: &tail) }
        }
        context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(tail)), promise: done)
        if !request.isHEAD { request.bodyBytesSent += count }
        if action == .writeFinal { self.responseCompleted(request) }
        let result: Result<Void, any Error> = await withCheckedContinuation { continuation in
            done.futureResult.assumeIsolated().whenComplete { continuation.resume(returning: $0) }
        }
        try? handle.close()
        if corked {
            _ = self.setCorked(false)
        }
        if case .failure = result {
            request.connectionLost(reason: .writeError)
        }
    }

    /// Sets `TCP_CORK` (Linux): while set, the kernel sends only full segments. `false` when the
    /// option does not apply (a Unix-domain socket, another system) or the channel is gone.
    private func setCorked(_ corked: Bool) -> Bool {
        #if os(Linux)
        // The connection's cached local address: formatting `localAddress` again would allocate.
        guard let options = self.channel.syncOptions, self.serverAddress?.port != nil else { return false }
        do {
            try options.setOption(.tcpOption(NIOBSDSocket.Option(rawValue: CInt(TCP_CORK))), value: corked ? 1 : 0)
            return true
        } catch {
            return false
        }
        #else
        return false
        #endif
    }

    // MARK: Server-generated responses

    func writeErrorResponse(status: Int, body: String) {
        guard let context = self.context else { return }
        var out = context.channel.allocator.buffer(capacity: 192 + body.utf8.count)
        self.serializer.writeErrorResponse(status: status, message: body, into: &out)
        context.writeAndFlush(Self.wrapOutboundOut(.byteBuffer(out)), promise: nil)
    }

    /// The parser refused the request (or its body): answer with the error's status if nothing
    /// was sent yet, then close (server-behaviour §3.2, §4).
    func rejectRequest(_ error: HTTP1ParseError, request: RequestInFlight?) {
        let reason: PAGIDisconnectReason = error.status == 413 ? .bodyTooLarge : .protocolError
        if let request {
            let started = request.framing != nil
            request.connectionLost(reason: reason)
            if !started {
                self.writeErrorResponse(status: error.status, body: error.reason)
            }
        } else {
            self.writeErrorResponse(status: error.status, body: error.reason)
        }
        self.receiveBuffer = nil
        self.closeAfterFlush()
    }

    // MARK: Access log

    func logAccess(_ request: RequestInFlight) {
        self.connectionContext.requestCountdown?.requestFinished()
        let accessLog = self.connectionContext.accessLog
        guard accessLog.isEnabled else { return }
        let client: AccessLogPeer
        if let address = self.clientAddress {
            client = .ip(address: address.host, port: address.port)
        } else if self.serverAddress?.port == nil, self.serverAddress != nil {
            client = .unix
        } else {
            client = .unknown
        }
        let entry = AccessLogEntry(
            client: client,
            method: request.method,
            path: String(decoding: request.rawPath, as: UTF8.self),
            query: String(decoding: request.queryString, as: UTF8.self),
            httpVersion: request.version.description,
            status: request.status,
            bodyBytes: request.bodyBytesSent,
            requestHeaders: AccessLogHeaders(headers: request.headers),
            responseHeaders: AccessLogHeaders(headers: PAGIHeaders()),
            startTime: request.startedAtWall ?? AccessLogClock.now(),
            duration: request.startedAt.map { ContinuousClock.now - $0 } ?? .zero,
            keepAliveRequests: self.requestCount - 1,
            connectionStatus: request.isConnectionLost ? .aborted : (request.keepAlive ? .keptAlive : .closed)
        )
        accessLog.log(entry)
    }
}
