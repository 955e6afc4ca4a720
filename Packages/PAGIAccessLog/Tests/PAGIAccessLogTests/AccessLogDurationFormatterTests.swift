import Testing

@testable import PAGIAccessLog

@Suite("AccessLogDurationFormatter")
struct AccessLogDurationFormatterTests {
    // Expected values are Perl's (and C's) sprintf("%.3f", ns / 1e9) for the same durations.
    @Test(
        "%d matches sprintf('%.3f') including half-millisecond ties",
        arguments: [
            (0, "0.000"), (499_999, "0.000"), (500_000, "0.001"), (500_001, "0.001"), (1_500_000, "0.002"),
            (2_500_000, "0.003"), (1_000_500_000, "1.000"), (2_000_500_000, "2.001"), (7_000_500_000, "7.000"),
            (12_300_000, "0.012"), (123_456_789, "0.123"), (999_999_999, "1.000"), (59_999_500_000, "59.999"),
        ] as [(Int64, String)]
    )
    func secondsWithMilliseconds(_ nanoseconds: Int64, _ expected: String) {
        #expect(written { AccessLogDurationFormatter.appendSecondsWithMilliseconds(nanoseconds: UInt64(nanoseconds), to: &$0) } == expected)
    }

    @Test("nanoseconds clamps negatives to zero and huge durations to UInt64.max")
    func nanosecondsClamp() {
        #expect(AccessLogDurationFormatter.nanoseconds(.seconds(-3)) == 0)
        #expect(AccessLogDurationFormatter.nanoseconds(.milliseconds(1_500)) == 1_500_000_000)
        #expect(AccessLogDurationFormatter.nanoseconds(.seconds(Int64.max)) == .max)
        #expect(AccessLogDurationFormatter.nanoseconds(Duration(secondsComponent: 0, attosecondsComponent: 7_999_999_999)) == 7)
    }
}
