import Foundation
import Sandbox
import Shared
import Testing

/// `--immich-favorite-mirror` and `--immich-delete-removed` through the plugin: a change run's
/// unfavourite and deletion reach Immich only with them, and a rerun changes nothing.
@Suite(.serialized) struct ImmichPluginMirrorTests {
    /// The change run's records: P1 unfavourited (files existing), P4 deleted (its files listed
    /// as `deleted` and already removed from disk, as --auto-delete does).
    static func changes(_ world: StepsWorld) throws -> [PhotoRecord] {
        let all = try ImmichPluginRunTests.records(world, status: "existing")
        var unfavourited = all.first { $0.id == "P1" }!
        unfavourited.object["favorite"] = false
        unfavourited.object["changed"] = ["favorite"]
        var deleted = try ImmichPluginRunTests.records(world, status: "deleted").first { $0.id == "P4" }!
        deleted.object["deleted"] = true
        deleted.object["changed"] = ["deleted"]
        deleted.object["albums"] = []
        return [unfavourited, deleted]
    }

    static func assets(_ world: StepsWorld, where test: (JSON) -> Bool) throws -> Set<String> {
        Set((try world.state()["assets"]?.arrayValue ?? []).filter(test).compactMap { $0["originalPath"]?.stringValue })
    }

    @Test(arguments: ["2.5.6", "3.2.0"])
    func unfavouritesAndDeletionsAreMirroredOnlyWhenAsked(version: String) async throws {
        let world = try StepsWorld(version: version) { $0.autoLinkLivePhotos = true }
        var settings = ImmichPluginRunTests.settings(world, existing: .skip)
        _ = try await ImmichPluginRunTests.run(try ImmichPluginRunTests.plugin(settings), try ImmichPluginRunTests.records(world))
        try StepsPipelineTests.expectExactState(world)
        let favourites = try Self.assets(world) { $0["isFavorite"] == true }
        #expect(favourites == [world.path("a/IMG_0001-adjusted.JPG"), world.path("a/IMG_0003.HEIC")])
        for file in ["b/IMG_0004.HEIC", "b/IMG_0004-adjusted.JPG", "b/IMG_0004_HEVC.MOV"] {
            try FileManager.default.removeItem(atPath: world.path(file))
        }

        // Without the flags: nothing is unmarked or trashed, nothing even reaches the steps.
        world.immich.resetCounts()
        let plain = try await ImmichPluginRunTests.run(try ImmichPluginRunTests.plugin(settings), try Self.changes(world))
        #expect(plain.skipped == 2 && plain.exitCode == .ok, "\(plain.json.serialized)")
        #expect(world.mutatingCalls() == [:], "\(world.mutatingCalls())")
        #expect(try Self.assets(world) { $0["isFavorite"] == true } == favourites)
        #expect(try Self.assets(world) { $0["isTrashed"] == true }.isEmpty)

        settings.favoriteMirror = true
        settings.deleteRemoved = true
        let plugin = try ImmichPluginRunTests.plugin(settings)
        #expect(plugin.pipeline.description.contains("immich-fav adjusted --mirror"))
        #expect(plugin.pipeline.stages.suffix(2).map(\.tool) == ["immich-trash", "immich-batch"])
        world.immich.resetCounts()
        let mirrored = try await ImmichPluginRunTests.run(plugin, try Self.changes(world))
        #expect(mirrored.exitCode == .ok && mirrored.errors == 0, "\(mirrored.json.serialized)")
        #expect(mirrored.existing == 1 && mirrored.deleted == 1 && mirrored.favoritesOnly == 1 && mirrored.trashOnly == 1 && mirrored.skipped == 0)
        #expect(mirrored.unfavorites == 1 && mirrored.trashed == 3 && mirrored.restored == 0, "\(mirrored.json.serialized)")
        #expect(mirrored.sentence.contains("1 unfavourite(s)") && mirrored.sentence.contains("3 moved to Immich's trash"), "\(mirrored.sentence)")
        #expect(try Self.assets(world) { $0["isFavorite"] == true } == [world.path("a/IMG_0003.HEIC")])
        #expect(try Self.assets(world) { $0["isTrashed"] == true }
                == [world.path("b/IMG_0004.HEIC"), world.path("b/IMG_0004-adjusted.JPG"), world.path("b/IMG_0004_HEVC.MOV")])
        #expect(world.mutatingCalls() == ["PUT /api/assets": 1, "DELETE /api/assets": 1], "\(world.mutatingCalls())")

        // The same change run again: nothing left to do.
        world.immich.resetCounts()
        let again = try await ImmichPluginRunTests.run(plugin, try Self.changes(world))
        #expect(again.exitCode == .ok && again.errors == 0)
        #expect(world.mutatingCalls() == [:], "\(world.mutatingCalls())")
    }

    @Test func flagsComposeTheirStepsAndTheMirrorNeedsTheFavouriteStep() throws {
        func settings(_ extra: [String]) throws -> ImmichPluginSettings? {
            let argv = ["--username", "a@b.c", "--directory", "/tmp", "--plugin", "immich", "--immich-server-url", "http://127.0.0.1:1",
                        "--immich-api-key", "k", "--immich-library-id", "5f0c2a8e-4b1d-4c3e-9a7f-2d6b8e1c0a94"] + extra
            return try ImmichPluginSettings.parse(try ArgumentParser.parse(argv, spec: ICloudPDCommand.spec, environment: [:]))
        }
        let error = #expect(throws: ToolError.self) { try settings(["--immich-favorite-mirror"]) }
        #expect(error?.message == "--immich-favorite-mirror needs --immich-favorite (the sizes to mark and unmark)")
        let both = try #require(try settings(["--immich-favorite", "adjusted", "--immich-favorite-mirror", "--immich-delete-removed"]))
        #expect(ImmichPipeline(both).stages.map(\.description).dropFirst() == ["immich-scan --scan-timeout 5 --poll-interval 1",
            "immich-fav adjusted --mirror", "immich-trash", "immich-batch --commit"])
        let neither = try #require(try settings(["--immich-favorite", "adjusted"]))
        #expect(ImmichPipeline(neither).stages.map(\.tool) == ["immich-batch", "immich-scan", "immich-fav", "immich-batch"])
    }
}
