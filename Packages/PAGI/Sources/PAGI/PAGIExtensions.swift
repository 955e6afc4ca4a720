/// The extensions a server advertises on a scope (protocol §11).
///
/// Each present name is a capability of this connection; its value is the extension's data map,
/// often empty. An application checks for a name before sending that extension's events, and a
/// server rejects events of extensions it did not advertise.
public struct PAGIExtensions: Sendable, Hashable {
    /// `fullflush`: the application may send ``PAGIOutboundEvent/httpFullFlush``.
    public static let fullFlush = "fullflush"
    /// `tls`: the connection is TLS; see ``tls``.
    public static let tlsName = "tls"
    /// `websocket.http.response`: a WebSocket application may deny the handshake with its own HTTP response.
    public static let webSocketHTTPResponse = "websocket.http.response"

    /// The advertised extensions other than `tls`, by name.
    public var entries: [String: [String: PAGIValue]]
    /// The TLS details of the connection; present only on TLS connections.
    public var tls: PAGITLSInfo?

    /// Creates an extension set.
    /// - Parameters:
    ///   - entries: Advertised extensions by name, each with its data map.
    ///   - tls: The TLS details, for TLS connections only.
    public init(_ entries: [String: [String: PAGIValue]] = [:], tls: PAGITLSInfo? = nil) {
        self.entries = entries
        self.tls = tls
    }

    /// Whether an extension is advertised.
    /// - Parameter name: The extension name, e.g. ``fullFlush``.
    public func contains(_ name: String) -> Bool {
        name == Self.tlsName ? self.tls != nil : self.entries[name] != nil
    }

    /// The data map of an advertised extension other than `tls`.
    /// - Parameter name: The extension name.
    public subscript(name: String) -> [String: PAGIValue]? {
        self.entries[name]
    }

    /// Whether no extension is advertised.
    public var isEmpty: Bool { self.entries.isEmpty && self.tls == nil }
}

/// The `tls` extension's data (protocol §11.3): what the server knows about a TLS connection.
public struct PAGITLSInfo: Sendable, Hashable {
    /// PEM of the certificate the server presented, when known.
    public var serverCertificate: String?
    /// PEM client certificates, leaf first; empty when none was supplied.
    public var clientCertificateChain: [String]
    /// RFC 4514 distinguished name of the client leaf certificate's subject, when there is one.
    public var clientCertificateName: String?
    /// A diagnostic when client verification failed but the connection stayed open; `nil` otherwise.
    public var clientCertificateError: String?
    /// The protocol version in wire encoding (`0x0303` TLS 1.2, `0x0304` TLS 1.3), when known.
    public var tlsVersion: Int?
    /// The IANA cipher suite number (e.g. `0x1301`), when known.
    public var cipherSuite: Int?
    /// The server name the client asked for (SNI), when it sent one. Not part of the spec's map;
    /// a documented addition.
    public var serverName: String?
    /// The ALPN protocol negotiated, when any. A documented addition, like ``serverName``.
    public var alpnProtocol: String?

    /// Creates TLS connection details.
    public init(
        serverCertificate: String? = nil,
        clientCertificateChain: [String] = [],
        clientCertificateName: String? = nil,
        clientCertificateError: String? = nil,
        tlsVersion: Int? = nil,
        cipherSuite: Int? = nil,
        serverName: String? = nil,
        alpnProtocol: String? = nil
    ) {
        self.serverCertificate = serverCertificate
        self.clientCertificateChain = clientCertificateChain
        self.clientCertificateName = clientCertificateName
        self.clientCertificateError = clientCertificateError
        self.tlsVersion = tlsVersion
        self.cipherSuite = cipherSuite
        self.serverName = serverName
        self.alpnProtocol = alpnProtocol
    }
}
