import Testing

@testable import PAGIAccessLog

@Suite("AccessLogTimeFormatter")
struct AccessLogTimeFormatterTests {
    // Expected strings are strftime("%d/%b/%Y:%H:%M:%S +0000", gmtime(t)).
    @Test(
        "%t across epoch, leap days, century and negative times",
        arguments: [
            (0, "01/Jan/1970:00:00:00 +0000"), (-1, "31/Dec/1969:23:59:59 +0000"),
            (951_782_400, "29/Feb/2000:00:00:00 +0000"), (1_709_210_096, "29/Feb/2024:12:34:56 +0000"),
            (4_102_444_799, "31/Dec/2099:23:59:59 +0000"), (1_795_318_483, "22/Nov/2026:03:34:43 +0000"),
        ] as [(Int64, String)]
    )
    func commonLogTime(_ seconds: Int64, _ expected: String) {
        #expect(written { AccessLogTimeFormatter.appendCommonLogTime(AccessLogTimestamp(secondsSinceEpoch: seconds), to: &$0) } == expected)
    }

    @Test("the integer calendar agrees with gmtime for every day of 1968–2104")
    func calendarAgreesWithStrftime() throws {
        let format = try AccessLogFormat(format: "%{%d/%b/%Y:%H:%M:%S +0000}t")
        let builtIn = try AccessLogFormat(format: "%t")
        var entry = emptyEntry()
        var seconds: Int64 = -63_158_400
        while seconds < 4_260_000_000 {
            entry.startTime = AccessLogTimestamp(secondsSinceEpoch: seconds)
            let expected = format.renderString(entry)
            let actual = builtIn.renderString(entry)
            guard actual == expected else {
                Issue.record("\(seconds): \(actual) != \(expected)")
                return
            }
            seconds += 86_400 + 3_661
        }
    }

    @Test("epoch atoms scale seconds and nanoseconds")
    func epoch() {
        let instant = AccessLogTimestamp(secondsSinceEpoch: 12, nanoseconds: 345_678_901)
        let text = written { writer in
            AccessLogTimeFormatter.appendEpoch(instant, nanosecondsPerUnit: 1_000_000, to: &writer)
            writer.append(0x20)
            AccessLogTimeFormatter.appendEpoch(instant, nanosecondsPerUnit: 1_000, to: &writer)
        }
        #expect(text == "12345 12345678")
    }

    @Test("timestamps carry out-of-range nanoseconds into seconds")
    func timestampNormalises() {
        let forward = AccessLogTimestamp(secondsSinceEpoch: 1, nanoseconds: 1_500_000_000)
        #expect(forward.secondsSinceEpoch == 2 && forward.nanoseconds == 500_000_000)
        let backward = AccessLogTimestamp(secondsSinceEpoch: 1, nanoseconds: -1)
        #expect(backward.secondsSinceEpoch == 0 && backward.nanoseconds == 999_999_999)
        #expect(backward < forward)
    }
}
