import Foundation
import Testing
@testable import Shared

@Suite struct StrftimeTests {
    static let t = LocalDateTime(year: 2024, month: 12, day: 6, hour: 9, minute: 32, second: 37, utcOffset: -10800, zoneName: "-03")

    // Expected values checked against CPython's datetime.strftime on glibc.
    @Test(arguments: [
        ("%Y/%m/%d", "2024/12/06"), ("%H:%M:%S", "09:32:37"), ("%y", "24"), ("%B %b %h", "December Dec Dec"),
        ("%A %a", "Friday Fri"), ("%j", "341"), ("%p %I", "AM 09"), ("%Z", "-03"), ("%z", "-0300"), ("%%", "%"),
        ("%U %W %V %G %g", "48 49 49 2024 24"), ("%c", "Fri Dec  6 09:32:37 2024"), ("%x", "12/06/24"), ("%X", "09:32:37"),
        ("%e", " 6"), ("%-d", "6"), ("%u %w", "5 5"), ("%C", "20"), ("%k %l", " 9  9"), ("%P", "am"), ("%s", "1733488357"),
        ("%^a", "FRI"), ("%10Y", "0000002024"), ("%_m", "12"), ("%D %F", "12/06/24 2024-12-06"), ("%r", "09:32:37 AM"),
        ("%R %T", "09:32 09:32:37"), ("%Q", "%Q"), ("%", "%"), ("%f", "000000"), ("%:z", "-03:00"),
    ])
    func codes(_ fmt: String, _ expected: String) {
        #expect(Strftime.format(fmt, Self.t) == expected)
    }

    @Test(arguments: [
        (2021, 1, 1, "2020-53 00 00"), (2024, 12, 30, "2025-01 52 53"), (2020, 12, 31, "2020-53 52 52"),
    ])
    func isoWeeks(_ y: Int, _ m: Int, _ d: Int, _ expected: String) {
        #expect(Strftime.format("%G-%V %U %W", LocalDateTime(year: y, month: m, day: d)) == expected)
    }

    @Test func pythonFormat() throws {
        #expect(try PythonFormat.format("{:%Y/%m/%d}", Self.t) == "2024/12/06")
        #expect(try PythonFormat.format("{0:%Y}/{0:%m}", Self.t) == "2024/12")
        #expect(try PythonFormat.format("photos-{:%Y}", Self.t) == "photos-2024")
        #expect(try PythonFormat.format("{{x}}/{:%Y}", Self.t) == "{x}/2024")
        #expect(try PythonFormat.format("{}", Self.t) == "2024-12-06 09:32:37-03:00")
        #expect(try PythonFormat.format("{0.month:02d}|{0.year:>6}|{0.day:x}", Self.t) == "12|  2024|6")
        #expect(try PythonFormat.format("{.year}", Self.t) == "2024")
        #expect(throws: PythonFormat.FormatError.self) { try PythonFormat.format("{:%Y}/{:%m}", Self.t) }
        #expect(throws: PythonFormat.FormatError.self) { try PythonFormat.format("{:%Y", Self.t) }
        #expect(throws: PythonFormat.FormatError.self) { try PythonFormat.format("a}b", Self.t) }
        #expect(throws: PythonFormat.FormatError.self) { try PythonFormat.format("{1}", Self.t) }
        #expect(throws: PythonFormat.FormatError.self) { try PythonFormat.format("{0.nope}", Self.t) }
        #expect(FolderStructure(template: "{:%Y}/{:%m}").validationError() == "Format {:%Y}/{:%m} specified in --folder-structure is incorrect")
        #expect(FolderStructure.default.validationError() == nil)
    }

    @Test func dateFromEpochInZone() {
        // 2024-01-01T03:00:00Z is still 2023 in Los Angeles.
        let d = Date(timeIntervalSince1970: 1_704_078_000)
        let la = LocalDateTime(date: d, zone: FixedZone(seconds: -8 * 3600, name: "PST"))
        #expect(Strftime.format("%Y/%m/%d %H %Z %z", la) == "2023/12/31 19 PST -0800")
        #expect(LocalDateTime(date: Date(timeIntervalSince1970: 1.5), zone: FixedZone.utc).microsecond == 500_000)
        #expect(LocalDateTime(date: Date(timeIntervalSince1970: -1), zone: FixedZone.utc).year == 1969)
    }

    @Test func systemZoneAbbreviations() throws {
        try #require(FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/Europe/Berlin"))
        let winter = Date(timeIntervalSince1970: 1_733_488_357), summer = Date(timeIntervalSince1970: 1_720_000_000)
        let berlin = try #require(SystemZone(identifier: "Europe/Berlin"))
        #expect(berlin.abbreviation(for: winter) == "CET")
        #expect(berlin.abbreviation(for: summer) == "CEST")
        #expect(try #require(SystemZone(identifier: "America/Los_Angeles")).abbreviation(for: winter) == "PST")
        #expect(try #require(SystemZone(identifier: "Asia/Dubai")).abbreviation(for: winter) == "+04")
        #expect(try #require(SystemZone(identifier: "UTC")).abbreviation(for: winter) == "UTC")
        // Far future: beyond the transition table, from the POSIX footer.
        let future = Date(timeIntervalSince1970: 4_102_444_800 + 200 * 86_400) // mid-2100
        #expect(berlin.abbreviation(for: future) == "CEST")
        #expect(berlin.offset(for: winter) == 3600)
    }
}
