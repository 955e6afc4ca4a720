/// Formats Unix times as ISO 8601 UTC timestamps (`2026-11-22T06:30:05Z`), the `data` of
/// `sse-ticker` events: sortable, unambiguous and parsed by JavaScript's `Date`.
enum ISO8601Timestamp {
    static func format(_ epochSeconds: Int64) -> String {
        let days = Self.floorDivide(epochSeconds, 86_400)
        let secondOfDay = Int(epochSeconds - days * 86_400)
        let (year, month, day) = HTTPDate.civil(fromDays: days)
        return "\(Self.fourDigits(year))-\(Self.twoDigits(month))-\(Self.twoDigits(day))T"
            + "\(Self.twoDigits(secondOfDay / 3600)):\(Self.twoDigits(secondOfDay / 60 % 60)):\(Self.twoDigits(secondOfDay % 60))Z"
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    private static func fourDigits(_ value: Int64) -> String {
        guard value >= 0, value < 1000 else { return String(value) }
        let text = String(value)
        return String(repeating: "0", count: 4 - text.count) + text
    }
}
