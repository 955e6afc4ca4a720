internal import CPAGIOpenSSL
import NIOCore

/// The only owner of an OpenSSL `SSL` object and its two memory BIOs: every OpenSSL call a connection makes
/// goes through here.
///
/// Ciphertext never touches a socket here. Bytes from the network go into the read BIO
/// (``receiveCiphertext(_:)``); whatever OpenSSL wants sent accumulates in the write BIO and is taken out with
/// ``takeCiphertext(allocator:)``. Memory BIOs never block and never say "want write", so each call either
/// progresses, needs more input, or fails.
///
/// Each call clears the thread's error queue first, so a failure's ``OpenSSLErrorStack`` holds only this
/// connection's reasons even though every connection on the event loop shares the thread.
final class TLSSession {
    /// The outcome of driving the handshake.
    enum HandshakeResult: Hashable {
        /// The handshake finished.
        case complete
        /// OpenSSL needs more bytes from the peer.
        case needsInput
        /// The handshake failed; an alert may be waiting in the write BIO.
        case failed(OpenSSLErrorStack)
    }

    /// The outcome of one decryption step.
    enum ReadResult: Hashable {
        /// This many plaintext bytes were appended to the buffer.
        case read(Int)
        /// Nothing more to decrypt until more ciphertext arrives.
        case needsInput
        /// The peer sent `close_notify`.
        case closeNotify
        /// Decryption failed.
        case failed(OpenSSLErrorStack)
    }

    private let ssl: OpaquePointer
    /// Network → OpenSSL. Owned by `ssl` after `SSL_set_bio`.
    private let readBIO: OpaquePointer
    /// OpenSSL → network. Owned by `ssl` after `SSL_set_bio`.
    private let writeBIO: OpaquePointer
    /// Storage of the last ciphertext handed out, for the next ``takeCiphertext(allocator:)``.
    private var ciphertextSpare = SpareBuffer()
    /// Kept so the context outlives this connection even if the store swaps it out on reload.
    let context: TLSContext

    init(context: TLSContext) throws(TLSConnectionError) {
        OpenSSLErrorStack.clear()
        guard let ssl = SSL_new(context.sslContext) else {
            throw .sessionSetupFailed(.drain())
        }
        guard let readBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw .sessionSetupFailed(.drain())
        }
        guard let writeBIO = BIO_new(BIO_s_mem()) else {
            BIO_free(readBIO)
            SSL_free(ssl)
            throw .sessionSetupFailed(.drain())
        }
        // An empty read BIO must say "retry later", never "end of file": the peer may simply not have sent
        // the next record yet.
        _ = CPAGIOpenSSL_BIO_set_mem_eof_return(readBIO, -1)
        _ = CPAGIOpenSSL_BIO_set_mem_eof_return(writeBIO, -1)
        SSL_set_bio(ssl, readBIO, writeBIO)
        SSL_set_accept_state(ssl)
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        self.context = context
    }

    deinit {
        SSL_free(self.ssl)
    }

    /// Hands bytes received from the network to OpenSSL.
    func receiveCiphertext(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            var offset = 0
            while offset < bytes.count {
                let chunk = Int32(clamping: bytes.count - offset)
                let written = BIO_write(self.readBIO, base + offset, chunk)
                // A memory BIO only refuses a write when allocation fails; the bytes are then lost and the
                // handshake or record layer reports the gap as a failure.
                guard written > 0 else { return }
                offset += Int(written)
            }
        }
    }

    /// Received ciphertext bytes OpenSSL has not read yet (it may also hold part of a record internally).
    var bufferedCiphertextBytes: Int {
        Int(CPAGIOpenSSL_BIO_pending(self.readBIO))
    }

    /// Whether another `SSL_read` could return data now: ciphertext is waiting in the read BIO, or
    /// OpenSSL holds decrypted bytes of a record it has not handed out yet. When neither, the next
    /// read can only report "want read", so the caller skips it (one SSL_read, error-queue clear and
    /// SSL_get_error less per request on a keep-alive connection).
    var mayHaveMorePlaintext: Bool {
        CPAGIOpenSSL_BIO_pending(self.readBIO) > 0 || SSL_pending(self.ssl) > 0
    }

    /// Advances the server handshake with whatever input has been received.
    func handshake() -> HandshakeResult {
        OpenSSLErrorStack.clear()
        let result = SSL_do_handshake(self.ssl)
        if result == 1 { return .complete }
        switch SSL_get_error(self.ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .needsInput
        default:
            return .failed(.drain())
        }
    }

    /// Decrypts at most one record into `buffer`'s writable space (which must be non-empty).
    func readPlaintext(into buffer: inout ByteBuffer) -> ReadResult {
        OpenSSLErrorStack.clear()
        var result: Int32 = 0
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 1) { space in
            result = SSL_read(self.ssl, space.baseAddress, Int32(clamping: space.count))
            return result > 0 ? Int(result) : 0
        }
        if result > 0 { return .read(Int(result)) }
        switch SSL_get_error(self.ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .needsInput
        case SSL_ERROR_ZERO_RETURN:
            return .closeNotify
        default:
            return .failed(.drain())
        }
    }

    /// Encrypts `plaintext` into records in the write BIO.
    ///
    /// - Returns: `nil` on success, OpenSSL's reasons on failure.
    func writePlaintext(_ plaintext: ByteBuffer) -> OpenSSLErrorStack? {
        guard plaintext.readableBytes > 0 else { return nil }
        OpenSSLErrorStack.clear()
        return plaintext.withUnsafeReadableBytes { bytes -> OpenSSLErrorStack? in
            // Without SSL_MODE_ENABLE_PARTIAL_WRITE, SSL_write consumes everything or fails, and a memory
            // BIO never pushes back, so one call per buffer suffices.
            let written = SSL_write(self.ssl, bytes.baseAddress, Int32(clamping: bytes.count))
            return written > 0 ? nil : .drain()
        }
    }

    /// Queues our `close_notify` alert in the write BIO. Idempotent.
    func sendCloseNotify() {
        OpenSSLErrorStack.clear()
        // Returns 0 ("sent, peer's not yet received") or 1; we never wait for the peer's alert, so both mean
        // done. A negative result (e.g. before the handshake completed) leaves nothing to send.
        _ = SSL_shutdown(self.ssl)
        OpenSSLErrorStack.clear()
    }

    /// Takes everything OpenSSL wants sent to the peer. The previous ciphertext buffer's storage is
    /// recycled when the channel has written it out.
    ///
    /// - Returns: The pending ciphertext, or `nil` when there is none.
    func takeCiphertext(allocator: ByteBufferAllocator) -> ByteBuffer? {
        let pending = Int(CPAGIOpenSSL_BIO_pending(self.writeBIO))
        guard pending > 0 else { return nil }
        var buffer = self.ciphertextSpare.take(minimumCapacity: pending, allocator: allocator)
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { space in
            let read = BIO_read(self.writeBIO, space.baseAddress, Int32(clamping: pending))
            return max(0, Int(read))
        }
        self.ciphertextSpare.keep(buffer)
        return buffer
    }

    /// What the completed handshake negotiated.
    func connectionInfo() -> TLSConnectionInfo {
        let cipher = SSL_get_current_cipher(self.ssl)
        var info = TLSConnectionInfo(
            protocolVersion: Int(SSL_version(self.ssl)),
            cipherSuite: cipher.map { Int(SSL_CIPHER_get_protocol_id($0)) } ?? 0,
            cipherName: cipher.flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) } ?? "",
            serverCertificatePEM: self.context.serverCertificatePEM,
            serverName: SSL_get_servername(self.ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) },
            applicationProtocol: self.selectedApplicationProtocol(),
            sessionReused: SSL_session_reused(self.ssl) == 1
        )
        if let leaf = SSL_get0_peer_certificate(self.ssl) {
            info.clientCertificateChainPEM = self.peerCertificateChain(leaf: leaf)
            info.clientSubject = OpenSSLCertificate.subject(of: leaf)
            let verification = SSL_get_verify_result(self.ssl)
            if verification != X509_V_OK {
                info.clientVerificationError = X509_verify_cert_error_string(verification).map { String(cString: $0) }
            }
        }
        OpenSSLErrorStack.clear()
        return info
    }

    private func selectedApplicationProtocol() -> String? {
        var name: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(self.ssl, &name, &length)
        guard let name, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: name, count: Int(length)), as: UTF8.self)
    }

    /// The client's leaf and the rest of its chain as PEM. On the server side OpenSSL's peer chain leaves
    /// the leaf out, but we skip it explicitly in case a build includes it.
    private func peerCertificateChain(leaf: OpaquePointer) -> [String] {
        var chain: [String] = []
        if let pem = OpenSSLCertificate.pem(of: leaf) { chain.append(pem) }
        guard let stack = SSL_get_peer_cert_chain(self.ssl) else { return chain }
        for index in 0..<CPAGIOpenSSL_sk_X509_num(stack) {
            guard let certificate = CPAGIOpenSSL_sk_X509_value(stack, index), X509_cmp(certificate, leaf) != 0 else {
                continue
            }
            if let pem = OpenSSLCertificate.pem(of: certificate) { chain.append(pem) }
        }
        return chain
    }
}

@available(*, unavailable)
extension TLSSession: Sendable {}
