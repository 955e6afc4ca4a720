/// What the server's TLS endpoint offers: certificate, key, client verification, versions, ciphers and ALPN.
///
/// A plain value mirroring the reference server's `ssl` map (`cert_file`, `key_file`, `ca_file`,
/// `verify_client`, `min_version`, `cipher_list`). Nothing is read from disk here; ``TLSContext/init(configuration:)``
/// validates the files and builds the OpenSSL context, so a bad path fails at startup, before any socket is bound.
public struct TLSConfiguration: Sendable, Hashable {
    /// The reference server's default `cipher_list`: forward-secret AEAD suites only for TLS 1.2.
    ///
    /// TLS 1.3 suites are not governed by this list (OpenSSL configures them separately); its defaults
    /// (AES-GCM and ChaCha20-Poly1305) are all AEAD and forward secret already.
    public static let defaultCipherList =
        "ECDHE+AESGCM:DHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!aECDH:!EDH-DSS-DES-CBC3-SHA:!KRB5-DES-CBC3-SHA"

    /// Path of the PEM certificate chain the server presents: leaf first, then intermediates (`cert_file`,
    /// `--ssl-cert`).
    public var certificateChainFile: String
    /// Path of the PEM private key matching the leaf certificate (`key_file`, `--ssl-key`).
    public var privateKeyFile: String
    /// Path of a PEM bundle of CAs trusted to sign client certificates (`ca_file`, `--ssl-ca`); required when
    /// ``verifyClient`` is on, ignored otherwise.
    public var caFile: String?
    /// Whether to demand a client certificate and verify it against ``caFile`` (`verify_client`). When on, a
    /// client without a valid certificate fails the handshake; when off, no certificate is requested.
    public var verifyClient: Bool
    /// The oldest protocol version accepted. Default ``TLSMinimumVersion/tls1_2``.
    public var minimumVersion: TLSMinimumVersion
    /// The OpenSSL cipher string for TLS 1.2 (`cipher_list`, `--ssl-ciphers`). Default ``defaultCipherList``.
    public var cipherList: String
    /// ALPN protocol names the server accepts, most preferred first. Default `["http/1.1"]`; `h2` is reserved
    /// for the HTTP/2 issue. A client offering ALPN without any of these names fails the handshake with
    /// `no_application_protocol` (RFC 7301 §3.2); a client offering no ALPN is served without it.
    public var applicationProtocols: [String]

    /// Creates a configuration.
    /// - Parameters:
    ///   - certificateChainFile: PEM certificate chain path, leaf first.
    ///   - privateKeyFile: PEM private key path.
    ///   - caFile: PEM CA bundle for client verification.
    ///   - verifyClient: Whether to require and verify client certificates.
    ///   - minimumVersion: The oldest version accepted.
    ///   - cipherList: The TLS 1.2 cipher string.
    ///   - applicationProtocols: ALPN names, most preferred first.
    public init(
        certificateChainFile: String,
        privateKeyFile: String,
        caFile: String? = nil,
        verifyClient: Bool = false,
        minimumVersion: TLSMinimumVersion = .tls1_2,
        cipherList: String = TLSConfiguration.defaultCipherList,
        applicationProtocols: [String] = ["http/1.1"]
    ) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.caFile = caFile
        self.verifyClient = verifyClient
        self.minimumVersion = minimumVersion
        self.cipherList = cipherList
        self.applicationProtocols = applicationProtocols
    }
}
