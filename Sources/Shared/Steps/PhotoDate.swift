import Foundation

/// The zone album dates are rendered in: the photo's own UTC offset (from `created`), the
/// machine's zone, UTC, or a named tz database zone.
public enum AlbumTimeZone: Sendable {
    case photo
    case zone(any ZoneRule)

    public static func parse(_ text: String?) throws(ToolError) -> AlbumTimeZone {
        guard let text, !text.isEmpty, text != "photo" else { return .photo }
        switch text.lowercased() {
        case "local": return .zone(SystemZone())
        case "utc": return .zone(FixedZone.utc)
        default:
            guard let zone = SystemZone(identifier: text) else {
                throw ToolError.usage("invalid --timezone '\(text)': expected photo, local, utc or a tz database name such as Europe/Paris")
            }
            return .zone(zone)
        }
    }

    /// `created` ("2024-01-15T14:03:22-08:00", fractions and `Z` allowed) in this zone.
    public func localTime(_ created: String) -> LocalDateTime? {
        guard let (date, offset) = PhotoDate.parse(created) else { return nil }
        switch self {
        case .photo:
            return LocalDateTime(date: date, zone: FixedZone(seconds: offset, name: offset == 0 ? "UTC" : "UTC" + Strftime.offsetString(offset, colon: true)))
        case .zone(let zone):
            return LocalDateTime(date: date, zone: zone)
        }
    }
}

/// ISO 8601 timestamps as records carry them.
public enum PhotoDate {
    /// The instant and the UTC offset (seconds) it was written with.
    public static func parse(_ text: String) -> (Date, Int)? {
        let scalars = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[start..<start + count] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard scalars.count >= 19, let year = number(0, 4), scalars[4] == 45, let month = number(5, 2), scalars[7] == 45,
              let day = number(8, 2), scalars[10] == 84 || scalars[10] == 32, let hour = number(11, 2), scalars[13] == 58,
              let minute = number(14, 2), scalars[16] == 58, let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var fraction = 0.0
        if index < scalars.count, scalars[index] == 46 {
            index += 1
            var scale = 0.1
            while index < scalars.count, scalars[index] >= 48 && scalars[index] <= 57 {
                fraction += Double(scalars[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < scalars.count {
            if scalars[index] == 90 || scalars[index] == 122 {  // Z
                index += 1
            } else if scalars[index] == 43 || scalars[index] == 45 {
                let sign = scalars[index] == 45 ? -1 : 1
                guard let hours = number(index + 1, 2) else { return nil }
                var next = index + 3
                if next < scalars.count, scalars[next] == 58 { next += 1 }
                guard let minutes = number(next, 2) else { return nil }
                offset = sign * (hours * 3600 + minutes * 60)
                index = next + 2
            } else {
                return nil
            }
        }
        guard index == scalars.count else { return nil }
        let local = LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, utcOffset: offset)
        return (Date(timeIntervalSince1970: Double(local.epochSeconds) + fraction), offset)
    }
}
