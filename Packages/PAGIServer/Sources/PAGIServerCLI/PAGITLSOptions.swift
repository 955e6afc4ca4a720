public import ArgumentParser
public import PAGITLS

/// The HTTPS flags of `pagi-server` (server-behaviour §15, §21), as one argument group that
/// ``PAGIServerOptions`` pulls in.
///
/// `--ssl-cert`/`--ssl-key` (both or neither) switch every TCP listener to TLS. Starlight's names
/// are accepted too: `--ssl-cert-file`, `--ssl-key-file`, `--ssl-ca-file`, and `--ssl-verify-mode N`
/// (any nonzero `N` means "require and verify a client certificate", like `--ssl-verify-client`).
///
/// `validate()` reads the files and builds the OpenSSL context once, so a missing, unreadable,
/// malformed or mismatched certificate/key is a usage error (exit 64) naming the file, before
/// anything is bound. The server builds its own context again when it starts (once per process).
public struct PAGITLSOptions: ParsableArguments, Sendable {
    @Option(
        name: [.customLong("ssl-cert"), .customLong("ssl-cert-file")],
        help: ArgumentHelp("PEM certificate chain (server certificate first, then intermediates); enables HTTPS.", valueName: "file")
    )
    public var certificateChainFile: String?

    @Option(
        name: [.customLong("ssl-key"), .customLong("ssl-key-file")],
        help: ArgumentHelp("PEM private key of the certificate (unencrypted).", valueName: "file")
    )
    public var privateKeyFile: String?

    @Option(
        name: [.customLong("ssl-ca"), .customLong("ssl-ca-file")],
        help: ArgumentHelp("PEM bundle of the CAs trusted to sign client certificates.", valueName: "file")
    )
    public var caFile: String?

    @Flag(name: .customLong("ssl-verify-client"), help: "Require a client certificate signed by --ssl-ca; refuse the handshake otherwise.")
    public var verifyClient = false

    @Option(
        name: .customLong("ssl-verify-mode"),
        help: ArgumentHelp("Starlight's form of --ssl-verify-client: 0 off, any other number on.", valueName: "n")
    )
    public var verifyMode: Int?

    @Option(
        name: .customLong("ssl-min-version"),
        help: ArgumentHelp("Oldest TLS version accepted: TLSv1_2 (default) or TLSv1_3.", valueName: "version")
    )
    public var minimumVersion: TLSMinimumVersion = .tls1_2

    @Option(
        name: .customLong("ssl-ciphers"),
        help: ArgumentHelp("OpenSSL cipher string for TLS 1.2; the default keeps forward-secret AEAD suites only.", valueName: "list")
    )
    public var cipherList: String = TLSConfiguration.defaultCipherList

    /// Creates the options with every default (TLS off).
    public init() {}

    /// Whether the flags turn TLS on.
    public var isEnabled: Bool { self.certificateChainFile != nil || self.privateKeyFile != nil }

    /// The TLS configuration these flags describe; `nil` when TLS is off.
    public var configuration: TLSConfiguration? {
        guard let certificate = self.certificateChainFile, let key = self.privateKeyFile else { return nil }
        return TLSConfiguration(
            certificateChainFile: certificate,
            privateKeyFile: key,
            caFile: self.caFile,
            verifyClient: self.verifyClient || (self.verifyMode ?? 0) != 0,
            minimumVersion: self.minimumVersion,
            cipherList: self.cipherList
        )
    }

    public func validate() throws {
        if (self.certificateChainFile == nil) != (self.privateKeyFile == nil) {
            throw ValidationError("--ssl-cert and --ssl-key must be specified together")
        }
        guard let configuration = self.configuration else {
            if self.caFile != nil || self.verifyClient || self.verifyMode != nil {
                throw ValidationError("--ssl-ca and --ssl-verify-client need --ssl-cert and --ssl-key: client certificates are only asked for over HTTPS")
            }
            return
        }
        if configuration.verifyClient && configuration.caFile == nil {
            throw ValidationError("--ssl-verify-client needs --ssl-ca FILE: the CAs client certificates must be signed by")
        }
        do {
            _ = try TLSContext(configuration: configuration)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

extension TLSMinimumVersion: ExpressibleByArgument {}
