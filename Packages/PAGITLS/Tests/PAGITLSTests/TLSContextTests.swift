import Foundation
import PAGITLS
import Testing

@Suite("TLSContext")
struct TLSContextTests {
    let certificates = TestCertificates.shared

    @Test func buildsFromAValidConfigurationAndEncodesTheServerCertificateOnce() throws {
        let context = try TLSContext(configuration: self.certificates.serverConfiguration())
        let leaf = try String(contentsOfFile: self.certificates.serverLeaf, encoding: .utf8)
        #expect(context.serverCertificatePEM == leaf)
    }

    @Test func buildsWithClientVerificationAndTLS13Minimum() throws {
        let configuration = self.certificates.serverConfiguration(verifyClient: true, minimumVersion: .tls1_3)
        let context = try TLSContext(configuration: configuration)
        #expect(context.configuration == configuration)
    }

    @Test func missingCertificateFileIsNamed() {
        var configuration = self.certificates.serverConfiguration()
        configuration.certificateChainFile = self.certificates.directory + "/missing.pem"
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        #expect(error == .fileNotFound(role: .certificate, path: configuration.certificateChainFile))
        #expect(error?.description == "SSL certificate file not found: \(configuration.certificateChainFile) (check the --ssl-cert path)")
    }

    @Test func missingKeyFileIsNamed() {
        var configuration = self.certificates.serverConfiguration()
        configuration.privateKeyFile = "/nonexistent/dir/server.key"
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        #expect(error == .fileNotFound(role: .privateKey, path: "/nonexistent/dir/server.key"))
        #expect(error?.description.contains("SSL key file not found: /nonexistent/dir/server.key") == true)
    }

    @Test func missingCAFileIsNamed() {
        var configuration = self.certificates.serverConfiguration(verifyClient: true)
        configuration.caFile = self.certificates.directory + "/missing-ca.pem"
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        #expect(error == .fileNotFound(role: .caFile, path: self.certificates.directory + "/missing-ca.pem"))
    }

    @Test func caFileIsCheckedEvenWithoutClientVerification() {
        var configuration = self.certificates.serverConfiguration()
        configuration.caFile = self.certificates.directory + "/typo-ca.pem"
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        #expect(error == .fileNotFound(role: .caFile, path: self.certificates.directory + "/typo-ca.pem"))
        #expect(error?.description.contains("(check the --ssl-ca path)") == true)
    }

    @Test func directoryInsteadOfFileIsNotReadable() {
        var configuration = self.certificates.serverConfiguration()
        configuration.privateKeyFile = self.certificates.directory
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        #expect(error == .fileNotReadable(role: .privateKey, path: self.certificates.directory, reason: "not a regular file"))
        #expect(error?.description.contains("SSL key file not readable: \(self.certificates.directory)") == true)
    }

    @Test func garbageCertificateIsRejectedWithOpenSSLReasons() throws {
        var configuration = self.certificates.serverConfiguration()
        configuration.certificateChainFile = self.certificates.garbage
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        guard case .invalidCertificate(let path, let errors) = error else {
            Issue.record("expected invalidCertificate, got \(String(describing: error))")
            return
        }
        #expect(path == self.certificates.garbage)
        #expect(!errors.entries.isEmpty)
        #expect(error?.description.contains(self.certificates.garbage) == true)
    }

    @Test func certificateInsteadOfKeyIsAnInvalidKey() {
        var configuration = self.certificates.serverConfiguration()
        configuration.privateKeyFile = self.certificates.serverLeaf
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        guard case .invalidPrivateKey(let path, _) = error else {
            Issue.record("expected invalidPrivateKey, got \(String(describing: error))")
            return
        }
        #expect(path == self.certificates.serverLeaf)
    }

    @Test func encryptedKeyFailsInsteadOfPrompting() {
        var configuration = self.certificates.serverConfiguration()
        configuration.privateKeyFile = self.certificates.encryptedKey
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        guard case .invalidPrivateKey(let path, _) = error else {
            Issue.record("expected invalidPrivateKey, got \(String(describing: error))")
            return
        }
        #expect(path == self.certificates.encryptedKey)
    }

    @Test func keyOfAnotherCertificateIsAMismatchNamingBothFiles() {
        var configuration = self.certificates.serverConfiguration()
        configuration.privateKeyFile = self.certificates.otherKey
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        guard case .keyMismatch(let certificatePath, let keyPath, let errors) = error else {
            Issue.record("expected keyMismatch, got \(String(describing: error))")
            return
        }
        #expect(certificatePath == self.certificates.serverChain)
        #expect(keyPath == self.certificates.otherKey)
        #expect(errors.description.contains("key values mismatch"))
    }

    @Test func garbageCAFileIsRejected() {
        var configuration = self.certificates.serverConfiguration(verifyClient: true)
        configuration.caFile = self.certificates.garbage
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        guard case .invalidCAFile(let path, _) = error else {
            Issue.record("expected invalidCAFile, got \(String(describing: error))")
            return
        }
        #expect(path == self.certificates.garbage)
    }

    @Test func verifyClientWithoutCAFileIsRejected() {
        var configuration = self.certificates.serverConfiguration()
        configuration.verifyClient = true
        #expect(throws: TLSConfigurationError.verifyClientWithoutCAFile) { try TLSContext(configuration: configuration) }
    }

    @Test func cipherListSelectingNothingIsRejected() {
        var configuration = self.certificates.serverConfiguration()
        configuration.cipherList = "NO-SUCH-CIPHER"
        let error = #expect(throws: TLSConfigurationError.self) { try TLSContext(configuration: configuration) }
        guard case .invalidCipherList(let list, let errors) = error else {
            Issue.record("expected invalidCipherList, got \(String(describing: error))")
            return
        }
        #expect(list == "NO-SUCH-CIPHER")
        #expect(errors.description.contains("no cipher match"))
    }

    @Test(arguments: [[], [""], [String(repeating: "p", count: 256)], ["http/1.1", ""]])
    func invalidALPNListsAreRejected(protocols: [String]) {
        let configuration = self.certificates.serverConfiguration(applicationProtocols: protocols)
        #expect(throws: TLSConfigurationError.invalidApplicationProtocols(protocols)) {
            try TLSContext(configuration: configuration)
        }
    }

    @Test(arguments: [["p"], [String(repeating: "p", count: 255)], ["h2", "http/1.1"]])
    func alpnNamesOfOneTo255BytesAreAccepted(protocols: [String]) throws {
        _ = try TLSContext(configuration: self.certificates.serverConfiguration(applicationProtocols: protocols))
    }
}
