import Foundation
import Shared
import Testing

/// `--dry-run` lists and plans only. (How fast it is belongs to the benchmark scripts, not to a
/// timed test: the suite runs many tests at once on two cores.)
@Suite struct ICloudPDDryRunTests {
    @Test func aDryRunListsEachPageOnceAndFetchesNoContent() async throws {
        let f = try ICloudPDDownloadFixture(photos: 450)
        let run = try await f.run(["--dry-run", "--size", "original", "--size", "medium", "--size", "adjusted"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(f.count("GET /content") == 0)
        // Five pages of 100 photos, each listed once, and nothing else fetched.
        #expect(f.count("POST /database/1/com.apple.photos.cloud/production/private/records/query") <= 8)
    }
}
