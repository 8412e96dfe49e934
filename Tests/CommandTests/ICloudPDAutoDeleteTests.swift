import Foundation
import Sandbox
import Shared
import Testing

/// `--auto-delete`: after the downloads, the local files of photos in Recently Deleted go, as
/// icloudpd names them; `--dry-run` only says what it would delete.
@Suite struct ICloudPDAutoDeleteTests {
    /// What follows `marker` on each log line that has it.
    static func paths(after marker: String, in log: String) -> [String] {
        log.components(separatedBy: "\n").compactMap { (line: String) -> String? in
            guard let found = line.range(of: marker) else { return nil }
            return String(line[found.upperBound...])
        }
    }

    static let sizes = ["--size", "original", "--size", "medium", "--size", "adjusted", "--xmp-sidecar"]

    @Test func filesOfPhotosInRecentlyDeletedAreDeleted() async throws {
        let f = try ICloudPDDownloadFixture(photos: 12)
        let first = try await f.run(Self.sizes)
        #expect(first.status == 0, "\(first.stderr)")
        let before = Set(f.files())
        f.icloud.setConfig { $0.library.delete(3) }
        let folder = f.folder(3)

        // Without the option nothing local goes.
        let plain = try await f.run(Self.sizes)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(Set(f.files()) == before)

        let dry = try await f.run(Self.sizes + ["--auto-delete", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(Set(f.files()) == before)
        let wouldDelete = Self.paths(after: "[DRY RUN] Would delete ", in: dry.stdout)
        #expect(!wouldDelete.isEmpty, "\(dry.stdout)")

        let run = try await f.run(Self.sizes + ["--auto-delete"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Deleting any files found in 'Recently Deleted'..."))
        let after = Set(f.files())
        let gone = before.subtracting(after)
        #expect(!gone.isEmpty)
        #expect(gone.allSatisfy { $0.hasPrefix(folder + "/") }, "\(gone)")
        // The photo's media and its sidecars, each logged; the same list the dry run gave.
        #expect(gone.contains { $0.hasSuffix(".xmp") } && gone.contains { !$0.hasSuffix(".xmp") })
        let deleted = Set(Self.paths(after: "INFO     Deleted ", in: run.stdout))
        #expect(deleted == Set(gone.map { f.directory + "/" + $0 }))
        #expect(deleted == Set(wouldDelete))
        #expect(after.isSuperset(of: before.filter { !$0.hasPrefix(folder + "/") }), "other folders untouched")
    }
}
