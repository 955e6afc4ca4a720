import NIOCore
import PAGI
import PAGITLS

/// Whether one connection is TLS, and what that means for its scopes: the one place the HTTP
/// (`http`/`https`) and WebSocket (`ws`/`wss`) `scheme` and the `tls` extension come from.
///
/// Created with the connection (in the child channel initializer) and owned by its protocol
/// handler; loop-confined like that handler. A TLS connection keeps a reference to its
/// ``TLSServerHandler`` and reads the negotiated parameters from it the first time a scope needs
/// them: the handler fires ``TLSHandshakeCompletedEvent`` (and sets `connectionInfo`) before it
/// passes on the first decrypted byte, so every request on the connection sees them.
///
/// Cleartext connections (and every Unix-socket connection: TLS applies to TCP listeners only)
/// report `http`/`ws` and carry no `tls` key (protocol §11.3: present only on TLS connections).
struct ConnectionSecurity {
    /// The connection's TLS handler; `nil` for cleartext.
    private let tlsHandler: TLSServerHandler?
    /// The scope `extensions`, with `tls` filled in, built once per connection.
    private var cachedExtensions: PAGIExtensions?

    /// A cleartext connection.
    static var cleartext: ConnectionSecurity { ConnectionSecurity(tlsHandler: nil) }

    /// A connection whose bytes pass through `tlsHandler`.
    init(tlsHandler: TLSServerHandler?) {
        self.tlsHandler = tlsHandler
    }

    /// Whether the connection is TLS.
    var isTLS: Bool { self.tlsHandler != nil }

    /// The `scheme` of an HTTP scope on this connection.
    var httpScheme: String { self.isTLS ? "https" : "http" }

    /// The `scheme` of a WebSocket scope on this connection.
    var webSocketScheme: String { self.isTLS ? "wss" : "ws" }

    /// The `extensions` of a scope on this connection: the server's, plus `tls` on a TLS connection.
    mutating func scopeExtensions(_ serverExtensions: PAGIExtensions) -> PAGIExtensions {
        guard let handler = self.tlsHandler else { return serverExtensions }
        if let cached = self.cachedExtensions { return cached }
        guard let info = handler.connectionInfo else {
            // Unreachable in practice (no plaintext before the handshake completes); not cached,
            // so a later scope still gets the data.
            return serverExtensions
        }
        var extensions = serverExtensions
        extensions.tls = Self.scopeInfo(info)
        self.cachedExtensions = extensions
        return extensions
    }

    /// Maps PAGITLS's connection facts onto the scope's `tls` extension (protocol §11.3).
    /// `cipherName` and `sessionReused` have no place in the scope and are dropped.
    static func scopeInfo(_ info: TLSConnectionInfo) -> PAGITLSInfo {
        PAGITLSInfo(
            serverCertificate: info.serverCertificatePEM,
            clientCertificateChain: info.clientCertificateChainPEM,
            clientCertificateName: info.clientSubject,
            clientCertificateError: info.clientVerificationError,
            tlsVersion: info.protocolVersion,
            cipherSuite: info.cipherSuite,
            serverName: info.serverName,
            alpnProtocol: info.applicationProtocol
        )
    }

    /// Logs a TLS failure that reached the protocol handler (debug level, server-behaviour §15:
    /// `SSL handshake failed: <e>`); the TLS handler closes the connection itself. Returns whether
    /// `error` was a TLS error.
    @discardableResult
    static func logIfTLSError(_ error: any Error, logger: ServerLogger) -> Bool {
        guard let error = error as? TLSConnectionError else { return false }
        logger.log(.debug, error.description)
        return true
    }
}
