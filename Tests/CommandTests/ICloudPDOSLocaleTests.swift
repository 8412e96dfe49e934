import Foundation
import Shared
import Testing

/// `--use-os-locale` is honoured when the C locale gives the same folder names, refused otherwise.
@Suite struct ICloudPDOSLocaleTests {
    @Test func numericFoldersWorkInAnyLocale() async throws {
        let f = try ICloudPDDownloadFixture(photos: 2)
        let run = try await f.run(["--use-os-locale"], environment: ["LC_ALL": "de_DE.UTF-8"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(f.files().contains(f.folder(1) + "/IMG_0001.JPG"))
    }

    @Test func monthNamesInAnotherLocaleAreRefused() async throws {
        let f = try ICloudPDDownloadFixture(photos: 2)
        let run = try await f.run(["--use-os-locale", "--folder-structure", "{:%Y/%B}"], environment: ["LC_ALL": "de_DE.UTF-8"])
        #expect(run.status == 2)
        #expect((run.stdout + run.stderr).contains("--use-os-locale with locale de_DE.UTF-8 is not supported yet"))
        #expect(f.files().isEmpty)
    }

    @Test func monthNamesInEnglishOrCWork() async throws {
        let f = try ICloudPDDownloadFixture(photos: 2)
        let run = try await f.run(["--use-os-locale", "--folder-structure", "{:%Y/%B}"], environment: ["LC_ALL": "en_GB.UTF-8"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(f.files().contains("2004/January/IMG_0001.JPG"))
    }
}
