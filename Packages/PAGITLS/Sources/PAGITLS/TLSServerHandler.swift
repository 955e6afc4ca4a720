public import NIOCore

/// Server-side TLS for one connection: decrypts inbound bytes and encrypts outbound bytes with the system
/// OpenSSL, through memory BIOs so the event loop never blocks.
///
/// Put it first in the child channel's pipeline (closest to the socket); everything after it sees plaintext
/// `ByteBuffer`s. Once the handshake completes it fires ``TLSHandshakeCompletedEvent`` before passing on any
/// plaintext.
///
/// Contract:
/// - Writes before the handshake completes are buffered and sent once it does.
/// - Closing sends `close_notify` and closes the channel once the alert is written; it does not wait for the
///   peer's answer (allowed by RFC 8446 §6.1). A peer's `close_notify` is answered with ours, then the
///   channel closes.
/// - Renegotiation is refused (`SSL_OP_NO_RENEGOTIATION`: a renegotiation request gets a `no_renegotiation`
///   alert and the connection continues unchanged).
/// - Handshake, decryption and encryption failures fire ``TLSConnectionError`` through `errorCaught`, send
///   any alert OpenSSL produced, and close the channel.
/// - The handler cannot be removed from a live pipeline: TLS cannot be switched off mid-connection.
/// - A TCP EOF without `close_notify` is not reported as an error: HTTP/1.1 framing already detects
///   truncated messages, and clients commonly omit the alert.
public final class TLSServerHandler: ChannelDuplexHandler {
    /// Ciphertext from the network.
    public typealias InboundIn = ByteBuffer
    /// Plaintext for the next handler.
    public typealias InboundOut = ByteBuffer
    /// Plaintext from the application.
    public typealias OutboundIn = ByteBuffer
    /// Ciphertext for the network.
    public typealias OutboundOut = ByteBuffer

    /// Plaintext buffer size: one TLS record carries at most 16 KiB of plaintext (RFC 8446 §5.1).
    private static let plaintextChunkSize = 16_384

    private var stateMachine = TLSConnectionStateMachine()
    private let session: TLSSession
    /// Application writes not yet encrypted; the first `flushedWriteCount` of them are covered by a flush.
    private var pendingWrites = CircularBuffer<(ByteBuffer, EventLoopPromise<Void>?)>()
    private var flushedWriteCount = 0
    /// Recycled storage for decrypted input (the session recycles its ciphertext buffers).
    private var plaintextSpare = SpareBuffer()

    /// What the handshake negotiated; `nil` until it completes. Read it on the channel's event loop.
    public private(set) var connectionInfo: TLSConnectionInfo?

    /// Creates the handler for one connection.
    ///
    /// - Parameter context: The shared server context (usually ``TLSContextStore/current``).
    /// - Throws: ``TLSConnectionError/sessionSetupFailed(_:)`` if OpenSSL cannot allocate the connection.
    public init(context: TLSContext) throws(TLSConnectionError) {
        self.session = try TLSSession(context: context)
    }

    /// Starts the handshake if the channel is already active.
    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            _ = self.stateMachine.channelActive()
        }
    }

    /// Fails writes that can no longer be sent.
    public func handlerRemoved(context: ChannelHandlerContext) {
        self.failPendingWrites(with: ChannelError.ioOnClosedChannel)
    }

    /// Starts waiting for the ClientHello.
    public func channelActive(context: ChannelHandlerContext) {
        // A server handshake makes no progress before the ClientHello, so there is nothing to drive yet.
        _ = self.stateMachine.channelActive()
        context.fireChannelActive()
    }

    /// Marks the connection closed and fails unsent writes.
    public func channelInactive(context: ChannelHandlerContext) {
        self.stateMachine.channelInactive()
        self.failPendingWrites(with: ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    /// Feeds ciphertext to the handshake or the record layer.
    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let ciphertext = Self.unwrapInboundIn(data)
        switch self.stateMachine.receivedCiphertext() {
        case .handshake:
            self.session.receiveCiphertext(ciphertext)
            self.advanceHandshake(context: context)
        case .decrypt:
            self.session.receiveCiphertext(ciphertext)
            self.decrypt(context: context)
        case .discard:
            break
        }
    }

    /// Passes the read-complete on; while handshaking, asks for more bytes itself.
    public func channelReadComplete(context: ChannelHandlerContext) {
        // During the handshake nothing reaches the next handler, so a handler that reads on demand (autoRead
        // off, NIOAsyncChannel) never asks again; without this read the handshake would stall.
        if case .handshaking = self.stateMachine.state {
            context.read()
        }
        context.fireChannelReadComplete()
    }

    /// Queues an application write.
    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.stateMachine.writeRequested() {
        case .buffer:
            self.pendingWrites.append((Self.unwrapOutboundIn(data), promise))
        case .fail:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    /// Encrypts and sends the queued writes (after the handshake, if it is still running).
    public func flush(context: ChannelHandlerContext) {
        switch self.stateMachine.flushRequested() {
        case .encryptAndSend:
            self.flushedWriteCount = self.pendingWrites.count
            self.encryptFlushedWrites(context: context)
        case .deferUntilOpen:
            self.flushedWriteCount = self.pendingWrites.count
        case .ignore:
            break
        }
    }

    /// Ends the TLS session with `close_notify`, then closes the channel.
    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .input {
            context.close(mode: mode, promise: promise)
            return
        }
        switch self.stateMachine.closeRequested() {
        case .closeNow:
            self.failPendingWrites(with: ChannelError.ioOnClosedChannel)
            context.close(mode: mode, promise: promise)
        case .sendCloseNotifyThenClose:
            // Unflushed writes die with the close, as on a plain channel; flushed ones were already encrypted.
            self.failPendingWrites(with: ChannelError.ioOnClosedChannel)
            self.session.sendCloseNotify()
            self.sendCiphertextThenClose(context: context, mode: mode, promise: promise)
        case .joinPendingClose:
            if let promise {
                context.channel.closeFuture.cascade(to: promise)
            }
        }
    }

    // MARK: - Handshake

    private func advanceHandshake(context: ChannelHandlerContext) {
        switch self.session.handshake() {
        case .needsInput:
            self.sendCiphertext(context: context)
        case .failed(let errors):
            self.fail(context: context, with: .handshakeFailed(errors))
        case .complete:
            self.stateMachine.handshakeCompleted()
            let info = self.session.connectionInfo()
            self.connectionInfo = info
            // The server's last flight (and TLS 1.3 session tickets) goes out before any application data.
            self.sendCiphertext(context: context)
            context.fireUserInboundEventTriggered(TLSHandshakeCompletedEvent(info: info))
            // The events above may have written, flushed or closed re-entrantly: consult the state again.
            if case .encryptAndSend = self.stateMachine.flushRequested(), self.flushedWriteCount > 0 {
                self.encryptFlushedWrites(context: context)
            }
            // The client may have sent application data right behind its Finished message.
            if case .decrypt = self.stateMachine.receivedCiphertext() {
                self.decrypt(context: context)
            }
        }
    }

    // MARK: - Reading

    /// The plaintext buffer for the next decryption pass: no larger than the ciphertext waiting (records only
    /// shrink when decrypted), so a small request does not pin 16 KiB while its connection idles; at least
    /// 256 bytes, at most one record's worth. Plaintext beyond it (from a partial record OpenSSL held
    /// internally) simply goes out in a second buffer.
    private func plaintextBuffer(context: ChannelHandlerContext) -> ByteBuffer {
        let capacity = min(Self.plaintextChunkSize, max(256, self.session.bufferedCiphertextBytes))
        return self.plaintextSpare.take(minimumCapacity: capacity, allocator: context.channel.allocator)
    }

    private func decrypt(context: ChannelHandlerContext) {
        var plaintext = self.plaintextBuffer(context: context)
        reading: while true {
            if plaintext.writableBytes == 0 {
                self.plaintextSpare.keep(plaintext)
                context.fireChannelRead(Self.wrapInboundOut(plaintext))
                plaintext = self.plaintextBuffer(context: context)
            }
            switch self.session.readPlaintext(into: &plaintext) {
            case .read:
                if self.session.mayHaveMorePlaintext {
                    continue reading
                }
                break reading
            case .needsInput:
                break reading
            case .closeNotify:
                self.forwardPlaintext(plaintext, context: context)
                self.peerSentCloseNotify(context: context)
                return
            case .failed(let errors):
                self.forwardPlaintext(plaintext, context: context)
                self.fail(context: context, with: .readFailed(errors))
                return
            }
        }
        self.forwardPlaintext(plaintext, context: context)
        // Reading can produce output: a refused renegotiation's alert, a TLS 1.3 KeyUpdate answer.
        self.sendCiphertext(context: context)
    }

    private func forwardPlaintext(_ plaintext: ByteBuffer, context: ChannelHandlerContext) {
        // Once the application has closed (possibly re-entrantly, from the previous channelRead), records still
        // in flight are decrypted only to reach the peer's close_notify; nobody wants their content.
        guard plaintext.readableBytes > 0, case .open = self.stateMachine.state else { return }
        self.plaintextSpare.keep(plaintext)
        context.fireChannelRead(Self.wrapInboundOut(plaintext))
    }

    private func peerSentCloseNotify(context: ChannelHandlerContext) {
        switch self.stateMachine.peerSentCloseNotify() {
        case .replyThenClose:
            self.failPendingWrites(with: ChannelError.ioOnClosedChannel)
            self.session.sendCloseNotify()
            self.sendCiphertextThenClose(context: context, mode: .all, promise: nil)
        case .close:
            context.close(promise: nil)
        case .ignore:
            break
        }
    }

    // MARK: - Writing

    private func encryptFlushedWrites(context: ChannelHandlerContext) {
        guard self.flushedWriteCount > 0 else { return }
        var promises: [EventLoopPromise<Void>] = []
        while self.flushedWriteCount > 0, let (plaintext, promise) = self.pendingWrites.popFirst() {
            self.flushedWriteCount -= 1
            if let errors = self.session.writePlaintext(plaintext) {
                promise?.fail(TLSConnectionError.writeFailed(errors))
                promises.forEach { $0.fail(TLSConnectionError.writeFailed(errors)) }
                self.fail(context: context, with: .writeFailed(errors))
                return
            }
            if let promise { promises.append(promise) }
        }
        guard let ciphertext = self.session.takeCiphertext(allocator: context.channel.allocator) else {
            // Only empty writes were flushed: nothing to send, and nothing that can still fail.
            promises.forEach { $0.succeed() }
            return
        }
        // One ciphertext write stands for all the plaintext writes it carries; a promise is only allocated
        // when somebody waits.
        let writePromise: EventLoopPromise<Void>?
        switch promises.count {
        case 0:
            writePromise = nil
        case 1:
            writePromise = promises[0]
        default:
            let combined = context.eventLoop.makePromise(of: Void.self)
            let waiting = promises
            combined.futureResult.whenComplete { result in
                waiting.forEach { $0.completeWith(result) }
            }
            writePromise = combined
        }
        context.writeAndFlush(Self.wrapOutboundOut(ciphertext), promise: writePromise)
    }

    private func sendCiphertext(context: ChannelHandlerContext) {
        guard let ciphertext = self.session.takeCiphertext(allocator: context.channel.allocator) else { return }
        context.writeAndFlush(Self.wrapOutboundOut(ciphertext), promise: nil)
    }

    /// Sends the pending ciphertext (ending with an alert) and closes the channel once it is written, so the
    /// close does not discard the alert still in the socket's write queue.
    private func sendCiphertextThenClose(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard let ciphertext = self.session.takeCiphertext(allocator: context.channel.allocator) else {
            context.close(mode: mode, promise: promise)
            return
        }
        context.writeAndFlush(Self.wrapOutboundOut(ciphertext)).assumeIsolated().whenComplete { _ in
            context.close(mode: mode, promise: promise)
        }
    }

    // MARK: - Failure

    private func fail(context: ChannelHandlerContext, with error: TLSConnectionError) {
        self.stateMachine.failed()
        self.failPendingWrites(with: error)
        // The alert goes out before the error is reported: a later handler may close the channel from
        // errorCaught, and the peer should still learn why.
        let alertWritten = self.session.takeCiphertext(allocator: context.channel.allocator).map {
            context.writeAndFlush(Self.wrapOutboundOut($0))
        }
        context.fireErrorCaught(error)
        guard let alertWritten else {
            context.close(promise: nil)
            return
        }
        alertWritten.assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private func failPendingWrites(with error: any Error) {
        self.flushedWriteCount = 0
        while let (_, promise) = self.pendingWrites.popFirst() {
            promise?.fail(error)
        }
    }
}

@available(*, unavailable)
extension TLSServerHandler: Sendable {}
