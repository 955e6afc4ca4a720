import PAGITLS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PAGIServer {
    /// Builds the process's TLS context from ``PAGIServerConfiguration/tls``, reading and checking
    /// the certificate, key and CA files; `nil` when TLS is off.
    /// - Throws: ``PAGIServerError`` (`tlsConfigurationInvalid`) whose message names the file at fault.
    func makeTLSStore() throws(PAGIServerError) -> TLSContextStore? {
        guard let configuration = self.configuration.tls else { return nil }
        do {
            return try TLSContextStore(configuration: configuration)
        } catch {
            throw PAGIServerError(code: .tlsConfigurationInvalid, message: error.description)
        }
    }

    /// Re-reads the certificate files on `SIGHUP` (e.g. after a certbot renewal): new connections
    /// get the new certificate, open ones keep theirs. A broken renewal is logged and the old
    /// certificate stays in service. The reload runs on the signal queue, never on an event loop.
    func watchCertificateReload(_ store: TLSContextStore) -> SignalWatcher {
        let logger = self.logger
        return SignalWatcher(signals: [SIGHUP]) {
            do {
                let context = try store.reload()
                logger.log(.info, "Received HUP signal: reloaded TLS certificate \(context.configuration.certificateChainFile)")
            } catch {
                logger.log(.error, "Received HUP signal: TLS certificate reload failed, still serving the previous certificate: \(error)")
            }
        }
    }

    /// A listener as the startup banner shows it: `https://` for TCP listeners when TLS is on.
    static func bannerAddress(_ address: PAGIListenAddress, tls: Bool) -> String {
        let text = address.description
        guard tls, case .tcp = address, text.hasPrefix("http://") else { return text }
        return "https://" + text.dropFirst("http://".count)
    }
}
