import Testing

@testable import PAGIPrefork

@Suite struct PreforkSignalTests {
    @Test(arguments: ["TERM", "SIGTERM", "term", "15"])
    func parsesNamesWithAndWithoutPrefix(_ text: String) {
        #expect(PreforkSignal(name: text) == .terminate)
    }

    @Test(arguments: ["", "SIGNOPE", "0", "65", "-1", "TERM "])
    func rejectsUnknownNames(_ text: String) {
        #expect(PreforkSignal(name: text) == nil)
    }

    @Test func namesRoundTrip() {
        for name in PreforkSignal.knownNames {
            #expect(PreforkSignal(name: name)?.name == name)
        }
    }
}

@Suite struct ChildTerminationTests {
    @Test func decodesWaitStatusWords() {
        #expect(ChildTermination(waitStatus: 0) == .exited(0))
        #expect(ChildTermination(waitStatus: 2 << 8) == .exited(2))
        #expect(ChildTermination(waitStatus: 9) == .signaled(9))
        #expect(ChildTermination.exited(1).waitStatus == 256)
    }
}
