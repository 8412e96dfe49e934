import Foundation

/// Lenient parsing of cookie `Expires` dates (RFC 1123, RFC 850, asctime and the dashed
/// `Wed, 01-Jan-2031 00:00:00 GMT` form), always UTC; and the ISO form LWP files use.
enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Date? {
        let separators = CharacterSet(charactersIn: " ,-\t")
        let tokens = text.components(separatedBy: separators).filter { !$0.isEmpty }
        var day: Int?, month: Int?, year: Int?, time: (Int, Int, Int)?
        for token in tokens {
            let lower = token.lowercased()
            if token.contains(":") {
                let parts = token.split(separator: ":").compactMap { Int($0) }
                if parts.count == 3 { time = (parts[0], parts[1], parts[2]) }
                else if parts.count == 2 { time = (parts[0], parts[1], 0) }
            } else if lower.count >= 3, let m = months.firstIndex(of: String(lower.prefix(3))), month == nil,
                      lower.allSatisfy(\.isLetter) {
                month = m + 1
            } else if let n = Int(token) {
                if token.count <= 2 && day == nil { day = n }
                else if year == nil { year = n }
            }
        }
        guard let d = day, let m = month, var y = year else { return nil }
        if y < 100 { y += y < 70 ? 2000 : 1900 }
        let (hh, mm, ss) = time ?? (0, 0, 0)
        return utcDate(year: y, month: m, day: d, hour: hh, minute: mm, second: ss)
    }

    /// `YYYY-MM-DD hh:mm:ssZ` (Python's `time2isoz`).
    static func isoz(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let y = c.year ?? 1970
        let year = String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y)
        return "\(year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
    }

    /// Parses `YYYY-MM-DD hh:mm:ss[Z]` (also with `T`); nil if it does not fit.
    static func parseISO(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2 else { return nil }
        let dateParts = parts[0].split(separator: "-").compactMap { Int($0) }
        var timeText = String(parts[1])
        if timeText.hasSuffix("Z") { timeText.removeLast() }
        let timeParts = timeText.split(separator: ":").compactMap { Int($0) }
        guard dateParts.count == 3, timeParts.count == 3 else { return nil }
        return utcDate(year: dateParts[0], month: dateParts[1], day: dateParts[2],
                       hour: timeParts[0], minute: timeParts[1], second: timeParts[2])
    }

    private static func utcDate(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...61).contains(second) else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(from: DateComponents(year: year, month: month, day: day,
                                             hour: hour, minute: minute, second: second))
    }
}
