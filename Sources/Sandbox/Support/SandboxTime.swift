import Foundation

/// Dates as Immich prints them: ISO 8601 in UTC with milliseconds, e.g. `2024-01-15T14:03:22.123Z`.
enum SandboxTime {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }

    /// Accepts ISO 8601 with or without fractional seconds and with any offset.
    static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        // A bare date, e.g. "2024-01-15".
        if let date = try? Date.ISO8601FormatStyle().year().month().day().parse(text) { return date }
        return nil
    }
}
