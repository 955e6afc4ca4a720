import Testing

@testable import PAGIApps

@Suite("ISO8601Timestamp")
struct ISO8601TimestampTests {
    @Test(
        "Unix seconds as UTC timestamps",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00Z"),
            (1_795_329_005, "2026-11-22T06:30:05Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"),
        ]
    )
    func format(seconds: Int64, expected: String) {
        #expect(ISO8601Timestamp.format(seconds) == expected)
    }
}
