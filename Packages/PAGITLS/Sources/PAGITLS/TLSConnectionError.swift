/// Why a TLS connection failed. ``TLSServerHandler`` fires it through `errorCaught` and then closes the
/// connection; other connections are unaffected. Each case carries OpenSSL's reasons from the failure point.
public enum TLSConnectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// OpenSSL could not create the connection object (out of memory).
    case sessionSetupFailed(OpenSSLErrorStack)
    /// The handshake failed: bad ClientHello, no common version/cipher/ALPN protocol, missing or unverifiable
    /// client certificate. Expected from scanners and misconfigured clients; worth a debug log line.
    case handshakeFailed(OpenSSLErrorStack)
    /// Decrypting received records failed (corrupt or forged record, fatal alert from the peer).
    case readFailed(OpenSSLErrorStack)
    /// Encrypting application data failed.
    case writeFailed(OpenSSLErrorStack)

    /// One line naming the phase and OpenSSL's reasons, in the reference server's `SSL handshake failed: <e>` form.
    public var description: String {
        switch self {
        case .sessionSetupFailed(let errors): "SSL connection setup failed: \(errors)"
        case .handshakeFailed(let errors): "SSL handshake failed: \(errors)"
        case .readFailed(let errors): "SSL read failed: \(errors)"
        case .writeFailed(let errors): "SSL write failed: \(errors)"
        }
    }
}
