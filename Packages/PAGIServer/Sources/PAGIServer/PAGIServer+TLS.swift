import PAGITLS
import Synchronization
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

    /// Re-reads the TLS certificate, key and CA files (e.g. after a certbot renewal): connections
    /// accepted afterwards get the new certificate, open ones keep theirs.
    ///
    /// `run(handleSignals: true)` calls this on `SIGHUP`; an embedding program with its own signal
    /// handling (or a `ServiceGroup`) calls it itself. It reads files, so call it from a task or
    /// thread of your own, not from an event loop.
    ///
    /// - Returns: `false` (and does nothing) when TLS is not configured or the server is not running.
    /// - Throws: ``PAGIServerError`` (`tlsConfigurationInvalid`) naming the file at fault; the
    ///   previous certificate stays in service.
    @discardableResult
    public func reloadTLSCertificates() throws(PAGIServerError) -> Bool {
        guard let store = self.runningTLSStore.withLock({ $0 }) else { return false }
        do {
            try store.reload()
            return true
        } catch {
            throw PAGIServerError(code: .tlsConfigurationInvalid, message: error.description)
        }
    }

    /// Calls ``reloadTLSCertificates()`` on `SIGHUP` and logs the outcome; a broken renewal leaves
    /// the old certificate in service. Runs on the signal queue, never on an event loop.
    func watchCertificateReload() -> SignalWatcher {
        let logger = self.logger
        let certificateFile = self.configuration.tls?.certificateChainFile ?? "-"
        return SignalWatcher(signals: [SIGHUP]) { [self] in
            do {
                try self.reloadTLSCertificates()
                logger.log(.info, "Received HUP signal: reloaded TLS certificate \(certificateFile)")
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
