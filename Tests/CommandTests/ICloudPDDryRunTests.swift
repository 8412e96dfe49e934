import Foundation
import Shared
import Testing

/// `--dry-run` lists and plans only: no request may wait for a timeout (30 s).
@Suite struct ICloudPDDryRunTests {
    @Test func aDryRunOfSeveralPagesIsFast() async throws {
        let f = try ICloudPDDownloadFixture(photos: 450)
        let start = Date()
        let run = try await f.run(["--dry-run", "--size", "original", "--size", "medium", "--size", "adjusted"])
        let seconds = Date().timeIntervalSince(start)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(f.count("GET /content") == 0)
        #expect(seconds < 20, "dry run took \(seconds) s")
    }
}
