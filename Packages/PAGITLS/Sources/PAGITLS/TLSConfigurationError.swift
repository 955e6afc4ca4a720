/// Why a ``TLSConfiguration`` could not become a ``TLSContext``. Every case names the file or setting at
/// fault, and its description says what to change.
public enum TLSConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file does not exist.
    case fileNotFound(role: FileRole, path: String)
    /// The file exists but cannot be opened for reading, or is not a regular file; `reason` is the system's.
    case fileNotReadable(role: FileRole, path: String, reason: String)
    /// The certificate file holds no usable PEM certificate chain.
    case invalidCertificate(path: String, errors: OpenSSLErrorStack)
    /// The key file holds no usable PEM private key (or an encrypted one, which a server cannot unlock).
    case invalidPrivateKey(path: String, errors: OpenSSLErrorStack)
    /// The private key does not belong to the leaf certificate.
    case keyMismatch(certificatePath: String, keyPath: String, errors: OpenSSLErrorStack)
    /// The CA file holds no usable PEM certificate.
    case invalidCAFile(path: String, errors: OpenSSLErrorStack)
    /// Client verification was asked for without a CA file to verify against.
    case verifyClientWithoutCAFile
    /// OpenSSL accepts no cipher from the cipher string.
    case invalidCipherList(String, errors: OpenSSLErrorStack)
    /// An ALPN protocol name is empty or longer than 255 bytes (RFC 7301 §3.1), or the list is empty.
    case invalidApplicationProtocols([String])
    /// OpenSSL could not allocate or set up the context itself.
    case contextSetupFailed(step: String, errors: OpenSSLErrorStack)

    /// Which configured file a file error is about.
    public enum FileRole: String, Sendable, Hashable {
        /// `cert_file` / `--ssl-cert`.
        case certificate = "certificate"
        /// `key_file` / `--ssl-key`.
        case privateKey = "key"
        /// `ca_file` / `--ssl-ca`.
        case caFile = "CA"

        var option: String {
            switch self {
            case .certificate: "--ssl-cert"
            case .privateKey: "--ssl-key"
            case .caFile: "--ssl-ca"
            }
        }
    }

    /// One line: what failed, the file, and the fix.
    public var description: String {
        switch self {
        case .fileNotFound(let role, let path):
            "SSL \(role.rawValue) file not found: \(path) (check the \(role.option) path)"
        case .fileNotReadable(let role, let path, let reason):
            "SSL \(role.rawValue) file not readable: \(path): \(reason) (check the \(role.option) path and its permissions)"
        case .invalidCertificate(let path, let errors):
            "SSL certificate file \(path) holds no valid PEM certificate chain: \(errors) (it must start with the server certificate, followed by intermediates)"
        case .invalidPrivateKey(let path, let errors):
            "SSL key file \(path) holds no valid unencrypted PEM private key: \(errors)"
        case .keyMismatch(let certificatePath, let keyPath, let errors):
            "SSL key file \(keyPath) does not match the certificate in \(certificatePath): \(errors) (pass the key the certificate was issued for)"
        case .invalidCAFile(let path, let errors):
            "SSL CA file \(path) holds no valid PEM certificate: \(errors)"
        case .verifyClientWithoutCAFile:
            "verifying client certificates needs a CA file to verify them against (pass --ssl-ca)"
        case .invalidCipherList(let list, let errors):
            "SSL cipher list '\(list)' selects no usable cipher: \(errors) (see `openssl ciphers -v '<list>'`)"
        case .invalidApplicationProtocols(let names):
            "ALPN protocol list \(names) is invalid: it must be non-empty and every name 1 to 255 bytes long"
        case .contextSetupFailed(let step, let errors):
            "OpenSSL context setup failed at \(step): \(errors)"
        }
    }
}
