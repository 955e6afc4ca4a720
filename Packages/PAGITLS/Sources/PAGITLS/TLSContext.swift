internal import CPAGIOpenSSL

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A validated, ready server TLS context: one OpenSSL `SSL_CTX` built from a ``TLSConfiguration``.
///
/// Build it once at startup (once per worker after spawn) and share it with every connection: creating a
/// connection from it is cheap, while building it reads and parses the certificate and key files.
/// Building validates everything up front — files exist, are readable, parse, and the key matches the
/// certificate — so configuration mistakes surface before the server binds its sockets.
///
/// - Important: The context is immutable once built. To pick up renewed certificates, build a new one
///   (``TLSContextStore/reload()``); connections already open keep the context they started with.
public final class TLSContext: @unchecked Sendable {
    // @unchecked: `sslContext` and `alpnWire` are written only in `init` and freed only in `deinit`.
    // OpenSSL documents a fully configured SSL_CTX as safe to share between threads for SSL_new.

    /// The configuration this context was built from.
    public let configuration: TLSConfiguration
    /// The PEM of the leaf certificate the server presents, encoded once here instead of per connection.
    public let serverCertificatePEM: String?

    let sslContext: OpaquePointer
    /// The ALPN list handed to the selection callback: a two-byte length, then the wire-format names.
    /// OpenSSL keeps only the pointer, so this buffer lives exactly as long as `sslContext`.
    private let alpnWire: UnsafeMutableRawBufferPointer

    /// Validates `configuration` and builds the OpenSSL context.
    ///
    /// - Parameter configuration: The certificate, key and policy to use.
    /// - Throws: ``TLSConfigurationError`` naming the file or setting at fault.
    public init(configuration: TLSConfiguration) throws(TLSConfigurationError) {
        try Self.checkReadableFile(configuration.certificateChainFile, role: .certificate)
        try Self.checkReadableFile(configuration.privateKeyFile, role: .privateKey)
        if let caFile = configuration.caFile {
            try Self.checkReadableFile(caFile, role: .caFile)
        } else if configuration.verifyClient {
            throw .verifyClientWithoutCAFile
        }
        let alpnWire = try Self.makeALPNWire(configuration.applicationProtocols)

        OpenSSLErrorStack.clear()
        guard let sslContext = SSL_CTX_new(TLS_server_method()) else {
            alpnWire.deallocate()
            throw .contextSetupFailed(step: "SSL_CTX_new", errors: .drain())
        }
        do {
            try Self.configure(sslContext, with: configuration)
        } catch {
            SSL_CTX_free(sslContext)
            alpnWire.deallocate()
            throw error
        }
        CPAGIOpenSSL_SSL_CTX_set_alpn_server_protocols(
            sslContext,
            alpnWire.baseAddress?.assumingMemoryBound(to: UInt8.self)
        )
        self.configuration = configuration
        self.sslContext = sslContext
        self.alpnWire = alpnWire
        self.serverCertificatePEM = SSL_CTX_get0_certificate(sslContext).flatMap(OpenSSLCertificate.pem(of:))
    }

    deinit {
        SSL_CTX_free(self.sslContext)
        self.alpnWire.deallocate()
    }

    private static func configure(_ context: OpaquePointer, with configuration: TLSConfiguration) throws(TLSConfigurationError) {
        // A server must never prompt for a key passphrase: OpenSSL's default callback reads the terminal,
        // which would block startup (or an event loop, on reload) forever.
        SSL_CTX_set_default_passwd_cb(context, refusePassphrase)

        let minimum = configuration.minimumVersion == .tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION
        guard CPAGIOpenSSL_SSL_CTX_set_min_proto_version(context, minimum) == 1 else {
            throw .contextSetupFailed(step: "setting the minimum version", errors: .drain())
        }
        // No renegotiation (a CPU-exhaustion vector, and meaningless for HTTP/1.1), server cipher order,
        // no TLS compression (CRIME), nothing older than TLS 1.2.
        _ = CPAGIOpenSSL_SSL_CTX_set_options(context, CPAGIOpenSSL_server_options())
        _ = CPAGIOpenSSL_SSL_CTX_set_dh_auto(context, 1)
        // Free OpenSSL's record buffers while a connection is idle, as nginx does: with the handler's right-sized
        // plaintext buffers an idle keep-alive connection costs the server ~26 KiB instead of ~50 KiB (measured
        // with 1000 connections; Docs/performance.md), at no measurable CPU cost per request.
        _ = SSL_CTX_ctrl(context, SSL_CTRL_MODE, Int(SSL_MODE_RELEASE_BUFFERS), nil)
        guard SSL_CTX_set_cipher_list(context, configuration.cipherList) == 1 else {
            throw .invalidCipherList(configuration.cipherList, errors: .drain())
        }

        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateChainFile) == 1 else {
            throw .invalidCertificate(path: configuration.certificateChainFile, errors: .drain())
        }
        let key = try Self.loadPrivateKey(configuration.privateKeyFile)
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(context, key) == 1, SSL_CTX_check_private_key(context) == 1 else {
            throw .keyMismatch(
                certificatePath: configuration.certificateChainFile,
                keyPath: configuration.privateKeyFile,
                errors: .drain()
            )
        }

        // Resumed sessions must carry a context id when client certificates are verified, or OpenSSL
        // refuses the resumption with "session id context uninitialized".
        let sessionContext: [UInt8] = Array("pagi-server".utf8)
        _ = SSL_CTX_set_session_id_context(context, sessionContext, UInt32(sessionContext.count))

        if configuration.verifyClient, let caFile = configuration.caFile {
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                throw .invalidCAFile(path: caFile, errors: .drain())
            }
            // The CA names go into the CertificateRequest so clients pick a matching certificate.
            if let names = SSL_load_client_CA_file(caFile) {
                SSL_CTX_set_client_CA_list(context, names)
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
        OpenSSLErrorStack.clear()
    }

    /// Reads the key ourselves (rather than `SSL_CTX_use_PrivateKey_file`) to tell a key that does not parse
    /// apart from a key that does not match the certificate.
    private static func loadPrivateKey(_ path: String) throws(TLSConfigurationError) -> OpaquePointer {
        guard let file = BIO_new_file(path, "r") else {
            throw .invalidPrivateKey(path: path, errors: .drain())
        }
        defer { BIO_free(file) }
        guard let key = PEM_read_bio_PrivateKey(file, nil, refusePassphrase, nil) else {
            throw .invalidPrivateKey(path: path, errors: .drain())
        }
        return key
    }

    /// Checks a configured path names a readable regular file, so the error can say which file and why
    /// before OpenSSL's less specific parse errors would.
    private static func checkReadableFile(_ path: String, role: TLSConfigurationError.FileRole) throws(TLSConfigurationError) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw .fileNotFound(role: role, path: path)
            }
            throw .fileNotReadable(role: role, path: path, reason: Self.systemErrorText(code))
        }
        guard (status.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG) else {
            throw .fileNotReadable(role: role, path: path, reason: "not a regular file")
        }
        var descriptor: Int32
        repeat {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            throw .fileNotReadable(role: role, path: path, reason: Self.systemErrorText(errno))
        }
        _ = close(descriptor)
    }

    private static func systemErrorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }

    private static func makeALPNWire(_ protocols: [String]) throws(TLSConfigurationError) -> UnsafeMutableRawBufferPointer {
        var wire: [UInt8] = []
        for name in protocols {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else { throw .invalidApplicationProtocols(protocols) }
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        guard !wire.isEmpty, wire.count <= 0xFFFF else { throw .invalidApplicationProtocols(protocols) }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: wire.count + 2, alignment: 1)
        storage[0] = UInt8(wire.count >> 8)
        storage[1] = UInt8(wire.count & 0xFF)
        for (offset, byte) in wire.enumerated() {
            storage[offset + 2] = byte
        }
        return storage
    }
}

/// The passphrase callback for every key we load: refuse, so an encrypted key fails to load instead of
/// OpenSSL prompting on the terminal.
private func refusePassphrase(
    _ buffer: UnsafeMutablePointer<CChar>?,
    _ size: Int32,
    _ forWriting: Int32,
    _ userData: UnsafeMutableRawPointer?
) -> Int32 {
    0
}
