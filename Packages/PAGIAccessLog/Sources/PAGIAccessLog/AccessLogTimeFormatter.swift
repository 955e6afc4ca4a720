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
    /// Three letters per month, plus one pad byte so every month can be read as 4 bytes.
    private static let monthNames: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec "

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
    ///
    /// Years 0–9999 (every real log line) are written as fixed-offset stores of digit pairs, with
    /// one room check for the whole field; other years take the general path.
    static func appendCommonLogTime(_ timestamp: AccessLogTimestamp, to writer: inout AccessLogLineWriter) {
        let time = CivilTime(secondsSinceEpoch: timestamp.secondsSinceEpoch)
        guard (0...9_999).contains(time.year) else {
            Self.appendCommonLogTimeSlowly(time, to: &writer)
            return
        }
        // 26 bytes are kept; the last store writes 8 bytes at offset 20, so ask for 28.
        writer.appendFixed(length: 26, room: 28) { target in
            Self.monthNames.withUTF8Buffer { names in
                guard let names = names.baseAddress else { return }
                // 4 bytes from the padded table; the 4th is overwritten by the `/` after it.
                let month = UnsafeRawPointer(names).loadUnaligned(fromByteOffset: (time.month - 1) &* 3, as: UInt32.self)
                target.storeBytes(of: month, toByteOffset: 3, as: UInt32.self)
            }
            let year = Int(time.year)
            target.storeBytes(of: AccessLogLineWriter.digitPair(time.day), as: UInt16.self)
            target.storeBytes(of: UInt8(ascii: "/"), toByteOffset: 2, as: UInt8.self)
            target.storeBytes(of: UInt8(ascii: "/"), toByteOffset: 6, as: UInt8.self)
            target.storeBytes(of: AccessLogLineWriter.digitPair(year / 100), toByteOffset: 7, as: UInt16.self)
            target.storeBytes(of: AccessLogLineWriter.digitPair(year % 100), toByteOffset: 9, as: UInt16.self)
            target.storeBytes(of: UInt8(ascii: ":"), toByteOffset: 11, as: UInt8.self)
            target.storeBytes(of: AccessLogLineWriter.digitPair(time.hour), toByteOffset: 12, as: UInt16.self)
            target.storeBytes(of: UInt8(ascii: ":"), toByteOffset: 14, as: UInt8.self)
            target.storeBytes(of: AccessLogLineWriter.digitPair(time.minute), toByteOffset: 15, as: UInt16.self)
            target.storeBytes(of: UInt8(ascii: ":"), toByteOffset: 17, as: UInt8.self)
            target.storeBytes(of: AccessLogLineWriter.digitPair(time.second), toByteOffset: 18, as: UInt16.self)
            // " +0000" and two bytes past the field that the next write overwrites or trims.
            target.storeBytes(of: Self.utcSuffix, toByteOffset: 20, as: UInt64.self)
        }
    }

    /// ` +0000` plus two spare bytes, as one little- or big-endian-independent 8-byte value.
    private static let utcSuffix: UInt64 = {
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { bytes in
            for (index, byte) in " +0000  ".utf8.enumerated() { bytes[index] = byte }
        }
        return value
    }()

    /// `%t` for years outside 0–9999 (or on a too-short buffer): field by field.
    private static func appendCommonLogTimeSlowly(_ time: CivilTime, to writer: inout AccessLogLineWriter) {
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
