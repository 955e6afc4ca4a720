import Foundation
import PAGITLS
import Testing

@Suite("TLSContextStore")
struct TLSContextStoreTests {
    let certificates = TestCertificates.shared

    @Test func reloadPicksUpRenewedFilesAtTheSamePaths() throws {
        let directory = self.certificates.directory + "/reload-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let chain = directory + "/chain.pem"
        let key = directory + "/key.pem"
        try FileManager.default.copyItem(atPath: self.certificates.serverChain, toPath: chain)
        try FileManager.default.copyItem(atPath: self.certificates.serverKey, toPath: key)
        let store = try TLSContextStore(configuration: TLSConfiguration(certificateChainFile: chain, privateKeyFile: key))
        let before = store.current

        // What certbot does: new files replace the old ones under the same names.
        try FileManager.default.removeItem(atPath: chain)
        try FileManager.default.removeItem(atPath: key)
        try FileManager.default.copyItem(atPath: self.certificates.reloadedChain, toPath: chain)
        try FileManager.default.copyItem(atPath: self.certificates.reloadedKey, toPath: key)
        let after = try store.reload()

        #expect(store.current === after)
        #expect(after !== before)
        let reloadedLeaf = try String(contentsOfFile: self.certificates.directory + "/reloaded.pem", encoding: .utf8)
        #expect(store.current.serverCertificatePEM == reloadedLeaf)
        #expect(before.serverCertificatePEM != reloadedLeaf)
    }

    @Test func failedReloadKeepsTheCurrentContext() throws {
        let store = try TLSContextStore(configuration: self.certificates.serverConfiguration())
        let before = store.current
        var broken = self.certificates.serverConfiguration()
        broken.privateKeyFile = self.certificates.otherKey
        #expect(throws: TLSConfigurationError.self) { try store.reload(configuration: broken) }
        #expect(store.current === before)
    }

    @Test func reloadWithANewConfigurationSwitchesCertificates() throws {
        let store = try TLSContextStore(configuration: self.certificates.serverConfiguration())
        let replacement = TLSConfiguration(
            certificateChainFile: self.certificates.reloadedChain,
            privateKeyFile: self.certificates.reloadedKey
        )
        try store.reload(configuration: replacement)
        #expect(store.current.configuration == replacement)
    }
}
