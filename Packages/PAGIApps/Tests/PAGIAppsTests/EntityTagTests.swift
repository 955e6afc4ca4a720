import Testing

@testable import PAGIApps

@Suite struct EntityTagTests {
    static let tag = EntityTag.make(inode: 0xAB, modificationNanoseconds: 0x1234, size: 0x10)

    @Test func tagIsQuotedHex() {
        #expect(Self.tag == "\"ab-1234-10\"")
    }

    @Test(arguments: ["\"ab-1234-10\"", "W/\"ab-1234-10\"", "*", " \"x\", \"ab-1234-10\" ", "\"x\",W/\"ab-1234-10\""])
    func noneMatchMatches(_ value: String) {
        #expect(EntityTag.noneMatchListMatches(value, tag: Self.tag))
    }

    @Test(arguments: ["\"ab-1234-11\"", "ab-1234-10", "\"ab-1234-10", "\"x\" \"ab-1234-10\"", "", "W/ab"])
    func noneMatchMisses(_ value: String) {
        #expect(!EntityTag.noneMatchListMatches(value, tag: Self.tag))
    }

    @Test func ifRangeNeedsAStrongEqualTag() {
        #expect(EntityTag.strongMatch("\"ab-1234-10\"", tag: Self.tag))
        #expect(!EntityTag.strongMatch("W/\"ab-1234-10\"", tag: Self.tag))
        #expect(!EntityTag.strongMatch("\"other\"", tag: Self.tag))
        #expect(!EntityTag.strongMatch("\"ab-1234-10\", \"ab-1234-10\"", tag: Self.tag))
    }

    @Test func ifRangeTellsTagsFromDates() {
        #expect(EntityTag.looksLikeTag("\"x\""))
        #expect(EntityTag.looksLikeTag("W/\"x\""))
        #expect(!EntityTag.looksLikeTag("Sun, 06 Nov 1994 08:49:37 GMT"))
    }
}
