/// HTTP dates (RFC 9110 §5.6.7) as seconds since the Unix epoch, UTC.
///
/// Formatting always produces IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`); parsing accepts the
/// three forms recipients must accept: IMF-fixdate, the obsolete RFC 850 form
/// (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`). The weekday is
/// not cross-checked: a wrong one does not make the date less useful for a cache comparison.
enum HTTPDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats epoch seconds as IMF-fixdate.
    static func format(_ epochSeconds: Int64) -> String {
        let days = Self.floorDivide(epochSeconds, 86_400)
        let secondOfDay = epochSeconds - days * 86_400
        let (year, month, day) = Self.civil(fromDays: days)
        let weekday = Int(Self.floorModulo(days + 4, 7))  // 1970-01-01 was a Thursday
        return "\(Self.weekdays[weekday]), \(Self.twoDigits(day)) \(Self.months[month - 1]) \(year) "
            + "\(Self.twoDigits(Int(secondOfDay / 3600))):\(Self.twoDigits(Int(secondOfDay / 60 % 60))):\(Self.twoDigits(Int(secondOfDay % 60))) GMT"
    }

    /// Parses an HTTP date in any of the three accepted forms.
    /// - Returns: Epoch seconds, or `nil` when the text is not a valid HTTP date.
    static func parse(_ text: String) -> Int64? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = tokens.first else { return nil }
        if first.hasSuffix(",") {
            if tokens.count == 6, tokens[5] == "GMT" {
                // IMF-fixdate: "Sun," "06" "Nov" "1994" "08:49:37" "GMT"
                guard tokens[1].count == 2, tokens[3].count == 4, let day = Int(tokens[1]), let month = Self.month(tokens[2]),
                    let year = Int(tokens[3])
                else { return nil }
                return Self.epoch(year: year, month: month, day: day, time: tokens[4])
            }
            if tokens.count == 4, tokens[3] == "GMT" {
                // RFC 850: "Sunday," "06-Nov-94" "08:49:37" "GMT"
                let parts = tokens[1].split(separator: "-", omittingEmptySubsequences: false)
                guard parts.count == 3, parts[0].count == 2, parts[2].count == 2, let day = Int(parts[0]),
                    let month = Self.month(parts[1]), let shortYear = Int(parts[2])
                else { return nil }
                // RFC 9110: a two-digit year that looks more than 50 years ahead is in the past.
                let year = shortYear < 70 ? 2000 + shortYear : 1900 + shortYear
                return Self.epoch(year: year, month: month, day: day, time: tokens[2])
            }
            return nil
        }
        // asctime: "Sun" "Nov" "6" "08:49:37" "1994"
        guard tokens.count == 5, let month = Self.month(tokens[1]), tokens[2].count <= 2, let day = Int(tokens[2]),
            tokens[4].count == 4, let year = Int(tokens[4])
        else { return nil }
        return Self.epoch(year: year, month: month, day: day, time: tokens[3])
    }

    private static func month(_ name: Substring) -> Int? {
        self.months.firstIndex(where: { $0 == name }).map { $0 + 1 }
    }

    private static func epoch(year: Int, month: Int, day: Int, time: Substring) -> Int64? {
        let parts = time.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]),
            let second = Int(parts[2]), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
            (1...31).contains(day), day <= Self.daysInMonth(year: year, month: month)
        else { return nil }
        let days = Self.days(fromCivil: year, month, day)
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    private static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = Self.floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``days(fromCivil:_:_:)``.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = Self.floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : (value - divisor + 1) / divisor
    }

    private static func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        value - Self.floorDivide(value, divisor) * divisor
    }
}
