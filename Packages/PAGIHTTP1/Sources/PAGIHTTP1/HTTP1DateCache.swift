#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `Date` header value (IMF-fixdate, RFC 9110 §5.6.7), formatted at most once per second.
///
/// A value type meant to live next to the serializer of one connection or one event loop: it has no
/// locks and no atomics, and reformatting (about fifty nanoseconds) happens only when the second
/// changes, so the per-response cost is one integer compare and a 29-byte copy.
public struct HTTP1DateCache: Sendable {
    @usableFromInline var cachedSecond: Int = .min
    @usableFromInline var cachedBytes: [UInt8] = []

    /// Creates an empty cache; the first use formats the date.
    public init() {}

    /// The current wall-clock time in whole seconds since 1970-01-01 UTC.
    public static func currentEpochSecond() -> Int {
        var now = timespec()
        #if os(Linux)
        // The coarse clock (the last tick, a few milliseconds old at most) is read without the
        // TSC and is plenty for a value with one-second resolution.
        clock_gettime(CLOCK_REALTIME_COARSE, &now)
        #else
        clock_gettime(CLOCK_REALTIME, &now)
        #endif
        return Int(now.tv_sec)
    }

    /// The formatted date for `epochSecond`, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    /// - Parameter epochSecond: Seconds since 1970-01-01 UTC.
    /// - Returns: The 29 bytes of the date.
    public mutating func bytes(epochSecond: Int) -> [UInt8] {
        if epochSecond != self.cachedSecond {
            self.refresh(epochSecond: epochSecond)
        }
        return self.cachedBytes
    }

    /// Writes the formatted date for `epochSecond` into `sink`.
    /// - Parameters:
    ///   - epochSecond: Seconds since 1970-01-01 UTC.
    ///   - sink: Where to write.
    // Inlinable because the serializer's specialised `writeHead` calls it per response; the
    // once-a-second reformatting stays out of line.
    @inlinable
    public mutating func write<Sink: HTTP1ByteSink>(epochSecond: Int, into sink: inout Sink) {
        if epochSecond != self.cachedSecond {
            self.refresh(epochSecond: epochSecond)
        }
        self.cachedBytes.withUnsafeBytes { sink.pagiWriteBytes($0) }
    }

    /// Reformats the cached bytes for a new second.
    @usableFromInline
    mutating func refresh(epochSecond: Int) {
        self.cachedBytes.removeAll(keepingCapacity: true)
        Self.format(epochSecond: epochSecond, into: &self.cachedBytes)
        self.cachedSecond = epochSecond
    }

    /// Formats `epochSecond` as an IMF-fixdate, without caching.
    /// - Parameters:
    ///   - epochSecond: Seconds since 1970-01-01 UTC.
    ///   - sink: Where to write the 29 bytes.
    public static func format<Sink: HTTP1ByteSink>(epochSecond: Int, into sink: inout Sink) {
        let days = epochSecond >= 0 ? epochSecond / 86_400 : (epochSecond - 86_399) / 86_400
        let secondOfDay = epochSecond - days * 86_400
        // Civil-from-days (H. Hinnant's algorithm): proleptic Gregorian, valid for any Int day.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // 1970-01-01 was a Thursday.
        let weekday = ((days % 7) + 11) % 7

        let weekdayNames: StaticString = "SunMonTueWedThuFriSat"
        let monthNames: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"
        sink.pagiWriteBytes(UnsafeRawBufferPointer(start: weekdayNames.utf8Start + weekday * 3, count: 3))
        sink.pagiWriteStaticString(", ")
        Self.writeTwoDigits(day, into: &sink)
        sink.pagiWriteByte(UInt8(ascii: " "))
        sink.pagiWriteBytes(UnsafeRawBufferPointer(start: monthNames.utf8Start + (month - 1) * 3, count: 3))
        sink.pagiWriteByte(UInt8(ascii: " "))
        let clampedYear = min(max(year, 0), 9999)
        Self.writeTwoDigits(clampedYear / 100, into: &sink)
        Self.writeTwoDigits(clampedYear % 100, into: &sink)
        sink.pagiWriteByte(UInt8(ascii: " "))
        Self.writeTwoDigits(secondOfDay / 3600, into: &sink)
        sink.pagiWriteByte(UInt8(ascii: ":"))
        Self.writeTwoDigits(secondOfDay / 60 % 60, into: &sink)
        sink.pagiWriteByte(UInt8(ascii: ":"))
        Self.writeTwoDigits(secondOfDay % 60, into: &sink)
        sink.pagiWriteStaticString(" GMT")
    }

    private static func writeTwoDigits<Sink: HTTP1ByteSink>(_ value: Int, into sink: inout Sink) {
        let pair: (UInt8, UInt8) = (UInt8(truncatingIfNeeded: value / 10) &+ 0x30, UInt8(truncatingIfNeeded: value % 10) &+ 0x30)
        withUnsafeBytes(of: pair) { sink.pagiWriteBytes($0) }
    }
}
