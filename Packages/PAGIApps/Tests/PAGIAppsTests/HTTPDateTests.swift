import Testing

@testable import PAGIApps

@Suite struct HTTPDateTests {
    /// RFC 9110 §5.6.7's example instant.
    static let example: Int64 = 784_111_777

    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.format(Self.example) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(-1) == "Wed, 31 Dec 1969 23:59:59 GMT")
    }

    @Test(arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])
    func parsesAllThreeForms(_ text: String) {
        #expect(HTTPDate.parse(text) == Self.example)
    }

    @Test func twoDigitYearsBelow70AreThisCentury() {
        #expect(HTTPDate.parse("Thursday, 01-Jan-15 00:00:00 GMT") == HTTPDate.parse("Thu, 01 Jan 2015 00:00:00 GMT"))
    }

    @Test(arguments: [
        "", "garbage", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun Nov  6 08:49:37",
    ])
    func rejectsMalformedDates(_ text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test func roundTripsAcrossCenturiesAndLeapDays() {
        var instant: Int64 = -2_208_988_800  // 1900-01-01
        while instant < 4_102_444_800 {  // 2100-01-01
            #expect(HTTPDate.parse(HTTPDate.format(instant)) == instant)
            instant += 86_400 * 17 + 3_607
        }
    }
}
