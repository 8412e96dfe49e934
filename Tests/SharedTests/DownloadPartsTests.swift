import Foundation
import Shared
import Testing

/// The small pieces of a download: `.part` names, log path truncation, date options.
@Suite struct DownloadPartsTests {
    @Test(arguments: [("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
                      ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======")])
    func base32MatchesRFC4648(_ input: String, _ expected: String) {
        #expect(Base32.encode(Array(input.utf8)) == expected)
    }

    @Test func partNameIsBase32OfTheDecodedChecksum() {
        #expect(FileJob.partName(checksum: Data("foobar".utf8).base64EncodedString()) == "MZXW6YTBOI======.part")
    }

    @Test func logPathsAreCutInTheMiddle() {
        let long = String(repeating: "a", count: 60) + String(repeating: "b", count: 60)
        let cut = LogPath.truncateMiddle(long)
        #expect(cut.count == 95 || cut.count == 96)
        #expect(cut.hasPrefix("aaaa") && cut.hasSuffix("bbbb") && cut.contains("..."))
        #expect(LogPath.truncateMiddle("short") == "short")
    }

    @Test func createdDatesAcceptDaysAndISO() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(AssetFilter.parseDate("5d", now: now) == now.addingTimeInterval(-5 * 86400))
        #expect(AssetFilter.parseDate("2days", now: now) == now.addingTimeInterval(-2 * 86400))
        #expect(AssetFilter.parseDate("2024-01-02T03:04:05+00:00") == Date(timeIntervalSince1970: 1_704_164_645))
        #expect(AssetFilter.parseDate("yesterday") == nil)
    }
}
