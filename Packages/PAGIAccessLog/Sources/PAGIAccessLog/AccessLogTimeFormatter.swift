#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Writes timestamps for `%t`, `%{format}t` and the epoch atoms, always in UTC.
///
/// `%t` is computed with integer calendar arithmetic (no libc call, no locale): the reference
/// prints it in UTC with a literal `+0000` whatever the host's time zone.
enum AccessLogTimeFormatter {
    private static let monthNames: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"

    /// The proleptic Gregorian date and time of day of a Unix time, in UTC.
    struct CivilTime: Hashable {
        var year: Int64
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int

        init(secondsSinceEpoch: Int64) {
            let (days, secondOfDay) = Self.floorDivide(secondsSinceEpoch, 86_400)
            self.hour = Int(secondOfDay / 3_600)
            self.minute = Int(secondOfDay / 60 % 60)
            self.second = Int(secondOfDay % 60)
            // Days to civil date, after Howard Hinnant's `civil_from_days`: count in 400-year eras
            // starting on 1 March so the leap day falls at the end of the year.
            let shifted = days &+ 719_468
            let (era, dayOfEra) = Self.floorDivide(shifted, 146_097)
            let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let shiftedMonth = (5 * dayOfYear + 2) / 153
            self.day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
            self.month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
            self.year = yearOfEra &+ era &* 400 &+ (self.month <= 2 ? 1 : 0)
        }

        private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
            var (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
            if remainder < 0 {
                quotient -= 1
                remainder += divisor
            }
            return (quotient, remainder)
        }
    }

    /// Appends `DD/Mon/YYYY:HH:MM:SS +0000`.
    static func appendCommonLogTime(_ timestamp: AccessLogTimestamp, to writer: inout AccessLogLineWriter) {
        let time = CivilTime(secondsSinceEpoch: timestamp.secondsSinceEpoch)
        writer.appendPadded(UInt(time.day), width: 2)
        writer.append(UInt8(ascii: "/"))
        Self.monthNames.withUTF8Buffer { names in
            let start = (time.month - 1) * 3
            writer.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: names[start..<start + 3])))
        }
        writer.append(UInt8(ascii: "/"))
        if (0...9_999).contains(time.year) {
            writer.appendPadded(UInt(time.year), width: 4)
        } else {
            writer.appendDecimal(Int(time.year))
        }
        writer.append(UInt8(ascii: ":"))
        writer.appendPadded(UInt(time.hour), width: 2)
        writer.append(UInt8(ascii: ":"))
        writer.appendPadded(UInt(time.minute), width: 2)
        writer.append(UInt8(ascii: ":"))
        writer.appendPadded(UInt(time.second), width: 2)
        writer.append(" +0000")
    }

    /// Appends `timestamp` formatted by `strftime(3)` in UTC.
    ///
    /// The result is escaped like request data: a format is operator-supplied, but `%n`/`%t` would
    /// otherwise put raw control bytes into the line. Output longer than 255 bytes is dropped
    /// (strftime reports it as an error); no sane time format gets near it.
    /// - Parameters:
    ///   - timestamp: The instant.
    ///   - format: The NUL-terminated format.
    ///   - writer: The line.
    static func appendStrftime(_ timestamp: AccessLogTimestamp, format: UnsafeRawPointer, to writer: inout AccessLogLineWriter) {
        var seconds = time_t(truncatingIfNeeded: timestamp.secondsSinceEpoch)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return }
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { output in
            guard let base = output.baseAddress else { return }
            let count = strftime(base, output.count, format.assumingMemoryBound(to: CChar.self), &parts)
            writer.appendEscaped(UnsafeRawBufferPointer(start: base, count: count))
        }
    }

    /// Appends the seconds, milliseconds or microseconds since the epoch (`divisor` nanoseconds per unit).
    static func appendEpoch(_ timestamp: AccessLogTimestamp, nanosecondsPerUnit divisor: Int64, to writer: inout AccessLogLineWriter) {
        let units = timestamp.secondsSinceEpoch
            .multipliedReportingOverflow(by: 1_000_000_000 / divisor).partialValue
            &+ Int64(timestamp.nanoseconds) / divisor
        writer.appendDecimal(Int(truncatingIfNeeded: units))
    }
}
