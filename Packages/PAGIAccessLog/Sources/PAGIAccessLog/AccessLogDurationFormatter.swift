/// Writes request durations the way the reference server does (`%d`, `%D`, `%T`).
enum AccessLogDurationFormatter {
    /// The duration in whole nanoseconds, clamped to `0...UInt64.max`.
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let attoseconds = duration.attoseconds
        guard attoseconds > 0 else { return 0 }
        return UInt64(clamping: attoseconds / 1_000_000_000)
    }

    /// Appends the duration in seconds with three decimals, identical to the reference's
    /// `sprintf('%.3f', $seconds)` for `$seconds = nanoseconds / 1e9`.
    ///
    /// The milliseconds are computed in integers; only an exact half millisecond is a tie, and
    /// there printf rounds the *binary* double, which lies a hair above or below the half (0.0005
    /// prints 0.001, 1.0005 prints 1.000). `fma` decides that side exactly: the sign of
    /// `seconds × 2000 − (2k + 1)` survives its single rounding. Away from ties the double is within
    /// 1e-16 relative of the exact value, far closer than the 1 ns to the nearest half, for any
    /// duration below about three months.
    static func appendSecondsWithMilliseconds(nanoseconds total: UInt64, to writer: inout AccessLogLineWriter) {
        var milliseconds = total / 1_000_000
        let remainder = total % 1_000_000
        if remainder > 500_000 {
            milliseconds += 1
        } else if remainder == 500_000 {
            let seconds = Double(total) / 1e9
            if Self.tieRoundsUp(seconds, milliseconds: milliseconds) {
                milliseconds += 1
            }
        }
        writer.appendDecimal(UInt(milliseconds / 1_000))
        writer.append(UInt8(ascii: "."))
        writer.appendPadded(UInt(milliseconds % 1_000), width: 3)
    }

    /// Whether the double nearest `(2k + 1) / 2000` lies above it.
    private static func tieRoundsUp(_ seconds: Double, milliseconds: UInt64) -> Bool {
        let half = Double(2 * milliseconds + 1)
        // fma(seconds, 2000, -half) with one rounding: its sign is the sign of the exact difference.
        return (-half).addingProduct(seconds, 2_000) > 0
    }
}
