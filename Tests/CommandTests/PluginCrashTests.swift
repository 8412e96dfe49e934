import Foundation
import Sandbox
import Shared
import Testing

/// `kill -9` of `icloudpd --plugin immich` while it downloads and Immich processes, several
/// times at random moments, then a run to the end: Immich holds exactly what one uninterrupted
/// run leaves, and the journal is empty. The window this guards: a file renamed into place
/// whose record is in no journal would be "already downloaded" for every later run and never
/// reach Immich.
@Suite(.serialized) struct PluginCrashTests {
    static let photos = 40

    static func options(_ world: EndToEndTests.World) -> [String] {
        // Unicode kept: stripped names like ".jpg" are hidden files Immich never imports (kept pending).
        ["--size", "original", "--size", "adjusted", "--threads-num", "3", "--keep-unicode-in-filenames"]
            + world.plugin(["--immich-stack-media", "--immich-favorite", "adjusted", "--immich-album", "[adjusted]:iCloud/{:%Y/%m}",
                            "--immich-batch-process", "4"])
    }

    /// Immich's assets, favourites, stacks (top first) and albums, by path under the world's root.
    static func immichState(_ world: EndToEndTests.World) throws -> [String] {
        let state = try world.state()
        let assets = (state["assets"]?.arrayValue ?? []).filter { $0["isTrashed"] != .bool(true) }
        var pathOf: [String: String] = [:]
        var lines: [String] = []
        for asset in assets {
            guard let id = asset["id"]?.stringValue, let path = asset["originalPath"]?.stringValue else { continue }
            let relative = path.replacingOccurrences(of: world.icloud.root, with: "ROOT")
            pathOf[id] = relative
            lines.append("asset \(relative)\(asset["isFavorite"] == .bool(true) ? " favourite" : "")")
        }
        func paths(_ ids: JSON?) -> [String] { (ids?.arrayValue ?? []).map { $0.stringValue.flatMap { pathOf[$0] } ?? "?" } }
        for stack in state["stacks"]?.arrayValue ?? [] {
            let members = paths(stack["assetIds"])
            lines.append("stack \(members.first ?? "") + \(members.dropFirst().sorted())")
        }
        for album in state["albums"]?.arrayValue ?? [] {
            lines.append("album \(album["albumName"]?.stringValue ?? "") \(paths(album["assetIds"]).sorted())")
        }
        return lines.sorted()
    }

    static func mediaFiles(_ world: EndToEndTests.World) -> Int {
        world.icloud.files().filter { !$0.hasSuffix(".part") && !$0.hasPrefix(".") && !$0.contains("/.") }.count
    }

    @Test func killedMidDownloadTheNextRunEndsAsAnUninterruptedOne() async throws {
        let reference = try EndToEndTests.World(photos: Self.photos)
        let clean = try await reference.run(Self.options(reference))
        #expect([0, 5].contains(clean.status), "\(clean.stderr)")
        let want = try Self.immichState(reference)
        #expect(want.filter { $0.hasPrefix("stack") }.count > 3)

        let world = try EndToEndTests.World(photos: Self.photos)
        let total = Self.mediaFiles(reference)
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<4 {
            // Slow downloads, so the kill lands while files are being written and batches processed.
            world.icloud.icloud.setConfig { $0.latencyMs = 30 }
            let before = Self.mediaFiles(world)
            if before >= total - 4 { break }
            let target = before + Int.random(in: 1...max(1, min(12, total - before - 3)), using: &generator)
            let process = Process()
            process.executableURL = ToolRunner.url("icloudpd")
            process.arguments = ["--username", ICloudPDDownloadFixture.username, "--password", ICloudPDDownloadFixture.password,
                                 "--cookie-directory", world.icloud.cookieDirectory, "--directory", world.icloud.directory,
                                 "--no-progress-bar"] + Self.options(world)
            process.environment = ToolRunner.environment(world.icloud.icloud.endpointEnvironment.merging(
                ["TZ": "UTC", "IMMICH_API_KEY": world.immich.apiKey, "HOME": world.icloud.root]) { $1 })
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let killed = try await ToolRunner.kill(process, when: { Self.mediaFiles(world) >= target })
            if killed { kills += 1 }
        }
        #expect(kills >= 2, "the runs were killed mid-way")
        #expect(try Self.immichState(world) != want, "the kills interrupted the work")

        world.icloud.icloud.setConfig { $0.latencyMs = 0 }
        let rerun = try await world.run(Self.options(world))
        #expect([0, 5].contains(rerun.status), "\(rerun.stderr)")
        #expect(world.icloud.files() == reference.icloud.files())
        let got = try Self.immichState(world)
        #expect(got == want, "only after the kills: \(Set(got).subtracting(want).sorted()); only without: \(Set(want).subtracting(got).sorted())")
        let journal = (try? String(contentsOfFile: world.icloud.root + "/pending.json", encoding: .utf8)) ?? ""
        #expect(journal.isEmpty, "still pending: \(journal.prefix(400))")
    }
}
