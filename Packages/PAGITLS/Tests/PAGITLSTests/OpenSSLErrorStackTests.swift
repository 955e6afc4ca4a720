import PAGITLS
import Testing

@Suite("OpenSSLErrorStack")
struct OpenSSLErrorStackTests {
    @Test func describesEntriesOldestFirstWithTheirLibrary() {
        let stack = OpenSSLErrorStack(entries: [
            .init(code: 1, library: "SSL routines", reason: "wrong version number"),
            .init(code: 0xAB, library: nil, reason: nil),
        ])
        #expect(stack.description == "wrong version number (SSL routines); error 0xab")
    }

    @Test func emptyStackSaysSo() {
        #expect(OpenSSLErrorStack(entries: []).description == "no OpenSSL error queued")
    }
}
