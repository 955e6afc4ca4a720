/// What was negotiated on one TLS connection: the data the server maps into the scope's `tls` extension
/// (protocol §11.3, PAGI's `PAGITLSInfo`), plus the SNI name and ALPN protocol.
///
/// PAGITLS does not depend on the PAGI interface package, so the server does the mapping:
/// `tlsVersion ← protocolVersion`, `cipherSuite ← cipherSuite`, `serverCertificate ← serverCertificatePEM`,
/// `clientCertificateChain ← clientCertificateChainPEM`, `clientCertificateName ← clientSubject`,
/// `clientCertificateError ← clientVerificationError`, `serverName ← serverName`,
/// `alpnProtocol ← applicationProtocol`.
public struct TLSConnectionInfo: Sendable, Hashable {
    /// The protocol version in wire encoding: `0x0303` TLS 1.2, `0x0304` TLS 1.3.
    public var protocolVersion: Int
    /// The 16-bit IANA cipher suite number, e.g. `0x1301` for TLS_AES_128_GCM_SHA256.
    public var cipherSuite: Int
    /// OpenSSL's name for the cipher suite, e.g. `TLS_AES_128_GCM_SHA256` or `ECDHE-RSA-AES128-GCM-SHA256`.
    public var cipherName: String
    /// PEM of the leaf certificate the server presented.
    public var serverCertificatePEM: String?
    /// PEM of the client's certificates, leaf first; empty when the client sent none.
    public var clientCertificateChainPEM: [String]
    /// The client leaf certificate's subject as an RFC 4514 distinguished name, e.g. `CN=alice,O=Example`.
    public var clientSubject: String?
    /// OpenSSL's verification error text when a client certificate was presented and failed verification
    /// while the connection stayed open; `nil` when it verified or none was presented.
    public var clientVerificationError: String?
    /// The host name the client asked for with SNI, if it sent one.
    public var serverName: String?
    /// The ALPN protocol selected, if the client offered ALPN.
    public var applicationProtocol: String?
    /// Whether the handshake resumed an earlier session.
    public var sessionReused: Bool

    /// Creates connection info.
    /// - Parameters:
    ///   - protocolVersion: Wire version number.
    ///   - cipherSuite: IANA cipher suite number.
    ///   - cipherName: OpenSSL cipher name.
    ///   - serverCertificatePEM: The server's leaf certificate.
    ///   - clientCertificateChainPEM: The client's certificates, leaf first.
    ///   - clientSubject: RFC 4514 subject of the client leaf.
    ///   - clientVerificationError: Verification failure text.
    ///   - serverName: The SNI host name.
    ///   - applicationProtocol: The ALPN protocol.
    ///   - sessionReused: Whether the session was resumed.
    public init(
        protocolVersion: Int,
        cipherSuite: Int,
        cipherName: String,
        serverCertificatePEM: String? = nil,
        clientCertificateChainPEM: [String] = [],
        clientSubject: String? = nil,
        clientVerificationError: String? = nil,
        serverName: String? = nil,
        applicationProtocol: String? = nil,
        sessionReused: Bool = false
    ) {
        self.protocolVersion = protocolVersion
        self.cipherSuite = cipherSuite
        self.cipherName = cipherName
        self.serverCertificatePEM = serverCertificatePEM
        self.clientCertificateChainPEM = clientCertificateChainPEM
        self.clientSubject = clientSubject
        self.clientVerificationError = clientVerificationError
        self.serverName = serverName
        self.applicationProtocol = applicationProtocol
        self.sessionReused = sessionReused
    }
}
