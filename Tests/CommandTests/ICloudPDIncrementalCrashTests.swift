import Foundation
import Sandbox
import Shared
import Testing

/// `kill -9` in the middle of an incremental run, then a rerun: the same files and state
/// database as a run that was never interrupted.
@Suite struct ICloudPDIncrementalCrashTests {
    static let added = 40

    /// Full run, then 40 photos added, a favourite, an edit and a deletion.
    static func prepared() async throws -> ICloudPDDownloadFixture {
        let f = try ICloudPDDownloadFixture(photos: 32)
        let first = try await f.run(["--size", "original", "--size", "adjusted"])
        #expect(first.status == 0, "\(first.stderr)")
        f.icloud.setConfig { config in
            config.library.addPhotos(added)
            config.library.setFavorite(1, true)
            config.library.edit(7)
            config.library.delete(10)
        }
        return f
    }

    /// The state database without the fixture's own temporary directory in paths.
    static func stateDump(_ f: ICloudPDDownloadFixture) throws -> [String] {
        try StateDatabase(path: f.cookieDirectory + "/dlexamplecom.PrimarySync.state.sqlite").dump()
            .map { $0.replacingOccurrences(of: f.root, with: "ROOT") }
    }

    @Test func aKilledIncrementalRunFinishesOnTheNextRunAsIfUninterrupted() async throws {
        let reference = try await Self.prepared()
        let clean = try await reference.run(["--size", "original", "--size", "adjusted"])
        #expect(clean.status == 0, "\(clean.stderr)")

        let f = try await Self.prepared()
        let filesBefore = f.files().count
        f.icloud.setConfig { $0.latencyMs = 25 }
        let process = Process()
        process.executableURL = ToolRunner.url("icloudpd")
        process.arguments = ["--username", ICloudPDDownloadFixture.username, "--password", ICloudPDDownloadFixture.password,
                             "--cookie-directory", f.cookieDirectory, "--directory", f.directory, "--no-progress-bar",
                             "--size", "original", "--size", "adjusted", "--threads-num", "1"]
        process.environment = ToolRunner.environment(f.icloud.endpointEnvironment.merging(["TZ": "UTC"]) { $1 })
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once it has written some of the new files, mid-run.
        let killed = try await ToolRunner.kill(process, when: { f.files().count >= filesBefore + 5 })
        #expect(killed, "the run was still going when killed")
        #expect(f.files().count < reference.files().count, "interrupted before the end")

        f.icloud.setConfig { $0.latencyMs = 0 }
        let rerun = try await f.run(["--size", "original", "--size", "adjusted"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(f.files() == reference.files())
        let (got, want) = (try Self.stateDump(f), try Self.stateDump(reference))
        #expect(got == want, "only after the crash: \(Set(got).subtracting(want).sorted()); only without: \(Set(want).subtracting(got).sorted())")
    }
}
