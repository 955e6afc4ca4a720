import Testing

@testable import PAGIApps

@Suite struct ByteRangeParserTests {
    typealias Decision = ByteRangeParser.Decision

    @Test(arguments: [
        ("bytes=0-99", Decision.partial(offset: 0, length: 100)),
        ("bytes=0-0", .partial(offset: 0, length: 1)),
        ("bytes=999-999", .partial(offset: 999, length: 1)),
        ("bytes=500-", .partial(offset: 500, length: 500)),
        ("bytes=900-5000", .partial(offset: 900, length: 100)),
        ("bytes=-100", .partial(offset: 900, length: 100)),
        ("bytes=-5000", .partial(offset: 0, length: 1000)),
        ("Bytes = 10 - 19 ", .partial(offset: 10, length: 10)),
        ("bytes=0-99999999999999999999999", .partial(offset: 0, length: 1000)),
    ])
    func satisfiableRanges(_ value: String, _ expected: Decision) {
        #expect(ByteRangeParser.evaluate(value, size: 1000) == expected)
    }

    @Test(arguments: ["bytes=1000-", "bytes=1000-1000", "bytes=-0", "bytes=99999999999999999999999-"])
    func unsatisfiableRanges(_ value: String) {
        #expect(ByteRangeParser.evaluate(value, size: 1000) == .unsatisfiable)
    }

    @Test(arguments: ["bytes=0-", "bytes=-1", "bytes=0-0"])
    func anyRangeOfAnEmptyFileIsUnsatisfiable(_ value: String) {
        #expect(ByteRangeParser.evaluate(value, size: 0) == .unsatisfiable)
    }

    @Test(arguments: [
        "", "bytes", "bytes=", "bytes=-", "items=0-1", "bytes=5-1", "bytes=a-b", "bytes=0-1,5-6", "bytes=1", "bytes=+1-2",
        "bytes=0x1-2",
    ])
    func ignoredRanges(_ value: String) {
        #expect(ByteRangeParser.evaluate(value, size: 1000) == .ignore)
    }
}
