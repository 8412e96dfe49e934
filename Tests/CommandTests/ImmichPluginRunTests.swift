import Foundation
import Sandbox
import Shared
import Testing

/// The plugin's pipeline driven in-process through the interface the downloader uses
/// (`emit` per photo, `finish`), with the real immich-* children against the sandbox Immich.
@Suite(.serialized) struct ImmichPluginRunTests {
    static func settings(_ world: StepsWorld, existing: ImmichPluginSettings.ExistingPhotos = .favoritesOnly) -> ImmichPluginSettings {
        var settings = ImmichPluginSettings(serverURL: world.immich.baseURL, apiKey: world.immich.apiKey, libraryId: world.immich.libraryId)
        settings.batchSize = .every(2)
        settings.journalPath = world.path("journal.json")
        settings.scanTimeout = 20
        settings.pollInterval = 0.1
        settings.stack = .all
        settings.liveLinks = .all
        settings.favorite = SizeList(sizes: ["adjusted"])
        settings.albumRules = StepsPipelineTests.albumRules
        settings.existing = existing
        return settings
    }

    static func plugin(_ settings: ImmichPluginSettings) throws -> ImmichPlugin {
        try ImmichPlugin(settings: settings, tools: ToolLocator(directories: [ToolRunner.binDirectory.path]),
                         environment: ToolRunner.environment([:]), logLevel: "warning")
    }

    /// The real-world example's photos as the downloader would hand them over.
    static func records(_ world: StepsWorld, status: String = "downloaded", favourite: Set<String> = []) throws -> [PhotoRecord] {
        try StepsPipelineTests.input(world).split(separator: "\n").compactMap { line -> PhotoRecord? in
            guard var object = try JSON.parse(String(line)).objectValue, object["type"] == "photo" else { return nil }
            for group in ["files", "live"] {
                guard var entries = object[group]?.objectValue else { continue }
                for key in entries.keys {
                    guard var entry = entries[key]?.objectValue else { continue }
                    entry["status"] = .string(status)
                    entries[key] = .object(entry)
                }
                object[group] = .object(entries)
            }
            if let id = object["id"]?.stringValue, favourite.contains(id) { object["favorite"] = true }
            return PhotoRecord(object)
        }
    }

    static func run(_ plugin: ImmichPlugin, _ records: [PhotoRecord]) async throws -> PluginSummary {
        let run = try plugin.startRun()
        for record in records { try run.emit(record) }
        return try await plugin.finish(run)
    }

    @Test(arguments: ["2.5.6", "3.1.0", "3.2.0", "3.3.5"])
    func realWorldExampleThroughThePlugin(version: String) async throws {
        let world = try StepsWorld(version: version) { $0.autoLinkLivePhotos = true }
        let plugin = try Self.plugin(Self.settings(world))
        let first = try await Self.run(plugin, try Self.records(world))
        try StepsPipelineTests.expectExactState(world)
        #expect(first.downloaded == 4 && first.existing == 0 && first.skipped == 0)
        // File entries with an asset: 13 files, 3 of them also served as a fallback size.
        #expect(first.filesRegistered == 16, "\(first.json.serialized)")
        #expect(first.stacks == 4 && first.favorites == 2 && first.errors == 0 && first.pending == 0)
        #expect(first.albumAdditions > 0 && first.liveLinks > 0 && first.scans >= 1)
        #expect(first.exitCode == .ok)
        #expect(try String(contentsOfFile: world.path("journal.json"), encoding: .utf8).isEmpty)

        // Next day: nothing new, P2 became a favourite. Existing favourites get scan + fav only:
        // the one mutating call is the favourite mark.
        world.immich.resetCounts()
        let second = try await Self.run(plugin, try Self.records(world, status: "existing", favourite: ["P2"]))
        #expect(second.downloaded == 0 && second.existing == 4 && second.favoritesOnly == 3 && second.skipped == 1)
        #expect(world.mutatingCalls() == ["PUT /api/assets": 1], "\(world.mutatingCalls())")
        let favourites = Set((try world.state()["assets"]?.arrayValue ?? []).filter { $0["isFavorite"] == true }.compactMap { $0["id"]?.stringValue })
        #expect(favourites == [try world.assetId("a/IMG_0001-adjusted.JPG"), try world.assetId("a/IMG_0003.HEIC"), try world.assetId("b/IMG_0002.HEIC")])
    }

    /// The one-time full sync (--immich-process-existing) over an already synced library
    /// changes nothing: every step runs, none mutates.
    @Test func fullSyncOfExistingPhotosIsIdempotent() async throws {
        let world = try StepsWorld(version: "3.0.1") { $0.autoLinkLivePhotos = true }
        _ = try await Self.run(try Self.plugin(Self.settings(world)), try Self.records(world))
        world.immich.resetCounts()
        let again = try await Self.run(try Self.plugin(Self.settings(world, existing: .process)), try Self.records(world, status: "existing"))
        #expect(again.existing == 4 && again.favoritesOnly == 0 && again.skipped == 0 && again.exitCode == .ok)
        #expect(world.mutatingCalls() == [:])
        try StepsPipelineTests.expectExactState(world)
        // Without it, existing photos never reach Immich.
        world.immich.resetCounts()
        let skipped = try await Self.run(try Self.plugin(Self.settings(world, existing: .skip)), try Self.records(world, status: "existing"))
        #expect(skipped.skipped == 4 && skipped.pipeline?["photos"] == 0)
        #expect(world.immich.requestCounts()["POST /api/search/metadata"] == nil)
    }

    @Test func dryRunChangesNothing() async throws {
        let world = try StepsWorld(version: "2.5.6")
        var settings = Self.settings(world)
        settings.dryRun = true
        let summary = try await Self.run(try Self.plugin(settings), try Self.records(world))
        #expect(summary.downloaded == 4)
        #expect(world.mutatingCalls() == [:], "\(world.mutatingCalls())")
        let journal = (try? String(contentsOfFile: world.path("journal.json"), encoding: .utf8)) ?? ""
        #expect(journal.isEmpty)
    }

    /// A failing child stops the run with its message and exit code; the journal keeps the photos.
    @Test func failingStepStopsTheRun() async throws {
        let world = try StepsWorld(version: "2.5.6")
        var settings = Self.settings(world)
        settings.apiKey = "wrong-key"
        let run = try Self.plugin(settings).startRun()
        let records = try Self.records(world)
        var emitError: ToolError?
        do {
            for _ in 0..<200 { for record in records { try run.emit(record) } }
        } catch {
            emitError = error
        }
        let finishError = await #expect(throws: ToolError.self) { _ = try await run.finish() }
        for error in [emitError, finishError].compactMap({ $0 }) {
            #expect(error.code == .authentication)
            #expect(error.message.contains("immich-scan failed (exit 3)"), "\(error.message)")
            #expect(!error.message.contains("wrong-key"))
        }
        let journal = try PendingJournal(path: world.path("journal.json"))
        #expect(try journal.compact(countAttempt: false).pending.count > 0)
    }
}
