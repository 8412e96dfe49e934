import Foundation
import Shared
import Testing

/// `--until-found` keeps reading pages while files are missing (it fetches each page only when
/// the previous one is done, so its stop point costs no extra page).
@Suite struct ICloudPDUntilFoundTests {
    @Test func aFreshRunReadsEveryPage() async throws {
        let f = try ICloudPDDownloadFixture(photos: 230)
        let run = try await f.run(["--until-found", "5", "--log-level", "info"])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = ICloudPDDownloadTests.expectedOriginals(f)
        #expect(f.count("GET /content") == expected.count)
        #expect(!run.stdout.contains("consecutive previously downloaded"))
    }
}
