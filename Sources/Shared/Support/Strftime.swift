import Foundation

/// A date broken down in some zone, like a Python aware `datetime`.
public struct LocalDateTime: Sendable, Equatable {
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int, microsecond: Int
    /// UTC offset in seconds; nil for a naive datetime.
    public var utcOffset: Int?
    /// `%Z` text.
    public var zoneName: String
    /// Seconds since the epoch (for `%s`).
    public var epochSeconds: Int64

    public init(date: Date, zone: any ZoneRule) {
        let t = date.timeIntervalSince1970
        var secs = Int64(floor(t))
        var micro = Int((t - floor(t)) * 1_000_000).clamped(0, 999_999)
        let exactMicro = ((t - floor(t)) * 1_000_000).rounded(.toNearestOrEven)
        if exactMicro >= 1_000_000 { secs += 1; micro = 0 } else { micro = Int(exactMicro) }
        let off = zone.offset(for: date)
        let local = secs + Int64(off)
        var days = local / 86_400
        var rem = local % 86_400
        if rem < 0 { rem += 86_400; days -= 1 }
        let (y, m, d) = LocalDateTime.civil(fromDays: days)
        year = y; month = m; day = d
        hour = Int(rem / 3600); minute = Int(rem % 3600 / 60); second = Int(rem % 60)
        microsecond = micro
        utcOffset = off
        zoneName = zone.abbreviation(for: date)
        epochSeconds = secs
    }

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
                microsecond: Int = 0, utcOffset: Int? = nil, zoneName: String = "") {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second; self.microsecond = microsecond
        self.utcOffset = utcOffset; self.zoneName = zoneName
        epochSeconds = (LocalDateTime.days(year, month, day) * 86_400) + Int64(hour * 3600 + minute * 60 + second) - Int64(utcOffset ?? 0)
    }

    /// Days since 1970-01-01 → (y, m, d), proleptic Gregorian.
    static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }

    static func days(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mm = Int64(m > 2 ? m - 3 : m + 9)
        let doy = (153 * mm + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// 0 = Sunday … 6 = Saturday (C `tm_wday`).
    public var cWeekday: Int {
        let d = LocalDateTime.days(year, month, day)
        return Int(((d % 7) + 7 + 4) % 7)
    }

    /// 1-based day of the year.
    public var dayOfYear: Int { Int(LocalDateTime.days(year, month, day) - LocalDateTime.days(year, 1, 1)) + 1 }

    /// Python `str(datetime)`: `YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]`.
    public var pythonString: String {
        var s = String(format: "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute, second)
        if microsecond != 0 { s += String(format: ".%06d", microsecond) }
        if let off = utcOffset { s += Strftime.offsetString(off, colon: true) }
        return s
    }
}

extension Int {
    fileprivate func clamped(_ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(self, lo), hi) }
}

/// Python `datetime.strftime` on glibc in the C locale (what icloudpd uses without
/// `--use-os-locale`): Python's own `%z`, `%:z`, `%Z`, `%f`, and glibc's conversions with
/// the flags `_ - 0 ^ #`, a field width and the `E`/`O` modifiers. Unknown conversions are
/// copied literally, as glibc does.
public enum Strftime {
    static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    public static func offsetString(_ off: Int, colon: Bool) -> String {
        let sign = off < 0 ? "-" : "+"
        let a = abs(off)
        var s = sign + String(format: "%02d", a / 3600) + (colon ? ":" : "") + String(format: "%02d", a % 3600 / 60)
        if a % 60 != 0 { s += (colon ? ":" : "") + String(format: "%02d", a % 60) }
        return s
    }

    /// ISO 8601 week-based year and week number.
    static func isoWeek(_ t: LocalDateTime) -> (year: Int, week: Int) {
        let wdayMon = (t.cWeekday + 6) % 7 // Monday = 0
        let yday = t.dayOfYear - 1
        func weeksIn(_ y: Int) -> Int {
            let jan1 = LocalDateTime(year: y, month: 1, day: 1).cWeekday
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
            return (jan1 == 4 || (leap && jan1 == 3)) ? 53 : 52
        }
        let week = (yday - wdayMon + 10) / 7
        if week < 1 { return (t.year - 1, weeksIn(t.year - 1)) }
        if week > weeksIn(t.year) { return (t.year + 1, 1) }
        return (t.year, week)
    }

    public static func format(_ fmt: String, _ t: LocalDateTime) -> String {
        let s = Array(fmt.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            let c = s[i]
            if c != "%" { out.append(c); i += 1; continue }
            let start = i
            i += 1
            var flags: [Unicode.Scalar] = []
            while i < s.count, "_-0^#".unicodeScalars.contains(s[i]) { flags.append(s[i]); i += 1 }
            var width: Int? = nil
            while i < s.count, let d = Int(String(s[i])), s[i].isASCII { width = (width ?? 0) * 10 + d; i += 1 }
            if i < s.count, s[i] == "E" || s[i] == "O" { i += 1 }
            // Python's %:z (3.12+).
            if i + 1 < s.count, s[i] == ":", s[i + 1] == "z", flags.isEmpty, width == nil {
                out.append(contentsOf: (t.utcOffset.map { offsetString($0, colon: true) } ?? "").unicodeScalars)
                i += 2; continue
            }
            guard i < s.count else { out.append(contentsOf: s[start...]); break }
            let conv = s[i]
            i += 1
            guard let piece = conversion(conv, t, flags: flags, width: width) else {
                out.append(contentsOf: s[start..<i]); continue
            }
            out.append(contentsOf: piece.unicodeScalars)
        }
        return String(out)
    }

    private enum Kind { case text(String), composite(String) }

    private static func conversion(_ c: Unicode.Scalar, _ t: LocalDateTime, flags: [Unicode.Scalar], width: Int?) -> String? {
        let h12 = t.hour % 12 == 0 ? 12 : t.hour % 12
        let kind: Kind
        var swapCaseMeansLower = false
        switch c {
        case "a": kind = .text(String(days[t.cWeekday].prefix(3)))
        case "A": kind = .text(days[t.cWeekday])
        case "b", "h": kind = .text(String(months[t.month - 1].prefix(3)))
        case "B": kind = .text(months[t.month - 1])
        case "c": kind = .composite("%a %b %e %H:%M:%S %Y")
        case "C": return pad(floorDiv(t.year, 100), 2, "0", flags, width)
        case "d": return pad(t.day, 2, "0", flags, width)
        case "D", "x": kind = .composite("%m/%d/%y")
        case "e": return pad(t.day, 2, " ", flags, width)
        case "F": kind = .composite("%Y-%m-%d")
        case "G": return pad(isoWeek(t).year, 1, "0", flags, width)
        case "g": return pad(((isoWeek(t).year % 100) + 100) % 100, 2, "0", flags, width)
        case "H": return pad(t.hour, 2, "0", flags, width)
        case "I": return pad(h12, 2, "0", flags, width)
        case "j": return pad(t.dayOfYear, 3, "0", flags, width)
        case "k": return pad(t.hour, 2, " ", flags, width)
        case "l": return pad(h12, 2, " ", flags, width)
        case "m": return pad(t.month, 2, "0", flags, width)
        case "M": return pad(t.minute, 2, "0", flags, width)
        case "n": kind = .text("\n")
        case "p": kind = .text(t.hour < 12 ? "AM" : "PM"); swapCaseMeansLower = true
        case "P": kind = .text(t.hour < 12 ? "am" : "pm")
        case "r": kind = .composite("%I:%M:%S %p")
        case "R": kind = .composite("%H:%M")
        case "s": return pad(Int(t.epochSeconds), 1, "0", flags, width)
        case "S": return pad(t.second, 2, "0", flags, width)
        case "t": kind = .text("\t")
        case "T", "X": kind = .composite("%H:%M:%S")
        case "u": return pad(t.cWeekday == 0 ? 7 : t.cWeekday, 1, "0", flags, width)
        case "U": return pad((t.dayOfYear - 1 + 7 - t.cWeekday) / 7, 2, "0", flags, width)
        case "V": return pad(isoWeek(t).week, 2, "0", flags, width)
        case "w": return pad(t.cWeekday, 1, "0", flags, width)
        case "W": return pad((t.dayOfYear - 1 + 7 - (t.cWeekday + 6) % 7) / 7, 2, "0", flags, width)
        case "y": return pad(((t.year % 100) + 100) % 100, 2, "0", flags, width)
        case "Y": return pad(t.year, 1, "0", flags, width)
        case "z": kind = .text(t.utcOffset.map { offsetString($0, colon: false) } ?? "")
        case "Z": kind = .text(t.zoneName); swapCaseMeansLower = true
        case "f": kind = .text(String(format: "%06d", t.microsecond))
        case "%": kind = .text("%")
        default: return nil
        }
        switch kind {
        case .composite(let f):
            return padText(format(f, t), flags: flags, width: width, swapLower: false)
        case .text(let s):
            return padText(s, flags: flags, width: width, swapLower: swapCaseMeansLower)
        }
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }

    private static func pad(_ n: Int, _ defWidth: Int, _ defPad: Unicode.Scalar, _ flags: [Unicode.Scalar], _ width: Int?) -> String {
        let digits = String(abs(n))
        let sign = n < 0 ? "-" : ""
        if flags.contains("-") { return sign + digits }
        var padChar = defPad
        if flags.contains("_") { padChar = " " }
        if flags.contains("0") { padChar = "0" }
        let w = width ?? defWidth
        let body = sign.count + digits.count >= w ? digits
            : String(repeating: Character(padChar), count: w - sign.count - digits.count) + digits
        return sign + body
    }

    private static func padText(_ s: String, flags: [Unicode.Scalar], width: Int?, swapLower: Bool) -> String {
        var s = s
        if flags.contains("^") { s = s.uppercased() }
        if flags.contains("#") { s = swapLower ? s.lowercased() : s.uppercased() }
        if let w = width, s.unicodeScalars.count < w, !flags.contains("-") {
            let p: Character = flags.contains("0") ? "0" : " "
            s = String(repeating: p, count: w - s.unicodeScalars.count) + s
        }
        return s
    }
}
