import PAGIHTTP1
import Testing

@Suite("HTTP1Version")
struct HTTP1VersionTests {
    @Test func descriptionIsTheScopeValue() {
        #expect(HTTP1Version.http1_0.description == "1.0")
        #expect(HTTP1Version.http1_1.description == "1.1")
        #expect(HTTP1Version(major: 1, minor: 1) == .http1_1)
    }
}
