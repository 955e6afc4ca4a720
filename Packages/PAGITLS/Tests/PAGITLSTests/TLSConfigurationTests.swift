import PAGITLS
import Testing

@Suite("TLSConfiguration")
struct TLSConfigurationTests {
    @Test func defaultsMatchTheReferenceServer() {
        let configuration = TLSConfiguration(certificateChainFile: "c.pem", privateKeyFile: "k.pem")
        #expect(configuration.minimumVersion == .tls1_2)
        #expect(configuration.verifyClient == false)
        #expect(configuration.caFile == nil)
        #expect(configuration.applicationProtocols == ["http/1.1"])
        #expect(configuration.cipherList == TLSConfiguration.defaultCipherList)
        #expect(TLSConfiguration.defaultCipherList.hasPrefix("ECDHE+AESGCM:DHE+AESGCM:ECDHE+CHACHA20:!aNULL"))
    }

    @Test func minimumVersionsUseTheReferenceNamesAndWireNumbers() {
        #expect(TLSMinimumVersion(rawValue: "TLSv1_2") == .tls1_2)
        #expect(TLSMinimumVersion(rawValue: "TLSv1_3") == .tls1_3)
        #expect(TLSMinimumVersion(rawValue: "TLSv1_1") == nil)
        #expect(TLSMinimumVersion.tls1_2.wireVersion == 0x0303)
        #expect(TLSMinimumVersion.tls1_3.wireVersion == 0x0304)
    }
}
