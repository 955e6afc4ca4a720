internal import CPAGIOpenSSL

/// Text renderings of OpenSSL `X509` certificates, for the connection info.
enum OpenSSLCertificate {
    /// The certificate as PEM text, or `nil` if OpenSSL cannot encode it.
    static func pem(of certificate: OpaquePointer) -> String? {
        Self.withMemoryBIO { bio in PEM_write_bio_X509(bio, certificate) == 1 }
    }

    /// The certificate's subject as an RFC 4514 distinguished name (most specific attribute first,
    /// `,`-separated, special characters escaped, UTF-8 kept as is).
    static func subject(of certificate: OpaquePointer) -> String? {
        guard let name = X509_get_subject_name(certificate) else { return nil }
        return Self.withMemoryBIO { bio in
            X509_NAME_print_ex(bio, name, 0, CPAGIOpenSSL_XN_FLAG_RFC4514()) >= 0
        }
    }

    /// Runs `render` against a fresh memory BIO and returns what it wrote, or `nil` if it failed.
    private static func withMemoryBIO(_ render: (OpaquePointer) -> Bool) -> String? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard render(bio) else {
            OpenSSLErrorStack.clear()
            return nil
        }
        let count = Int(CPAGIOpenSSL_BIO_pending(bio))
        guard count > 0 else { return "" }
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let read = BIO_read(bio, buffer.baseAddress, Int32(count))
            initialized = max(0, Int(read))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
