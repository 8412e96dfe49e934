import Foundation
import Sandbox
import Shared
import Testing

/// `immich-scan | immich-trash` on hand-written deletion and restore records (docs/records.md):
/// exactly the deleted photos' assets go to Immich's trash, a restored photo's come back, a
/// second run sends no mutating request and a dry run changes nothing.
@Suite(.serialized) struct ImmichTrashTests {
    static let scan = ("immich-scan", ["--scan-timeout", "20", "--poll-interval", "0.05"])

    /// Two live photos and a plain one, registered by a first scan; P1 a favourite.
    static func registered(_ world: StepsWorld) async throws {
        let input = [
            try world.record(id: "P1", created: "2024-05-01T10:00:00Z", favorite: true,
                             files: [("original", "d/IMG_1.HEIC"), ("adjusted", "d/IMG_1-a.JPG")], live: [("original", "d/IMG_1.MOV")]),
            try world.record(id: "P2", created: "2024-05-02T10:00:00Z", favorite: false, files: [("original", "d/IMG_2.HEIC")]),
            try world.record(id: "P3", created: "2024-05-03T10:00:00Z", favorite: false,
                             files: [("original", "d/IMG_3.HEIC")], live: [("original", "d/IMG_3.MOV")]),
        ].joined(separator: "\n") + "\n"
        let run = try await runPipeline([scan, ("immich-fav", [])], input: input, environment: world.environment)
        #expect(run.statuses == [0, 0], "\(run.stderr)")
    }

    /// A photo record with `files`/`live` (size → relative path) all of one status.
    static func record(_ world: StepsWorld, id: String, status: String, files: [(String, String)], live: [(String, String)] = [],
                       extra: JSONObject) -> String {
        func group(_ entries: [(String, String)]) -> JSON {
            .object(JSONObject(entries.map { ($0.0, JSON.object(["path": .string(world.path($0.1)), "status": .string(status)])) }))
        }
        var object: JSONObject = ["type": "photo", "id": .string(id), "favorite": false, "files": group(files)]
        if !live.isEmpty { object["live"] = group(live) }
        for (key, value) in extra { object[key] = value }
        return JSON.object(object).serialized
    }

    /// The deletion record icloudpd writes for a photo deleted in iCloud.
    static func deleted(_ world: StepsWorld, id: String, files: [(String, String)], live: [(String, String)] = []) -> String {
        record(world, id: id, status: "deleted", files: files, live: live,
               extra: ["deleted": true, "changed": ["deleted"], "albums": []])
    }

    static func trashed(_ world: StepsWorld) throws -> Set<String> {
        Set((try world.state()["assets"]?.arrayValue ?? []).filter { $0["isTrashed"] == true }.compactMap { $0["originalPath"]?.stringValue })
    }

    static func stats(_ result: PipelineResult, _ stage: String) -> JSON? {
        result.lines.first { $0["type"] == "stats" && $0["stage"]?.stringValue == stage }
    }

    @Test(arguments: ["2.5.6", "3.2.0", "3.3.5"])
    func deletedPhotosGoToTheTrashOnceAndComeBackWhenRestored(version: String) async throws {
        let world = try StepsWorld(version: version)
        try await Self.registered(world)
        // P1 was deleted in iCloud and --auto-delete removed its files; P9 was never in Immich.
        for file in ["d/IMG_1.HEIC", "d/IMG_1-a.JPG", "d/IMG_1.MOV"] { try FileManager.default.removeItem(atPath: world.path(file)) }
        let deletions = [
            Self.deleted(world, id: "P1", files: [("original", "d/IMG_1.HEIC"), ("adjusted", "d/IMG_1-a.JPG")], live: [("original", "d/IMG_1.MOV")]),
            Self.deleted(world, id: "P9", files: [("original", "d/IMG_9.HEIC")]),
            Self.record(world, id: "P2", status: "existing", files: [("original", "d/IMG_2.HEIC")], extra: ["changed": ["favorite"]]),
        ].joined(separator: "\n") + "\n"
        world.immich.resetCounts()
        let first = try await runPipeline([Self.scan, ("immich-trash", [])], input: deletions, environment: world.environment)
        #expect(first.statuses == [0, 0], "\(first.stderr)")
        #expect(try Self.trashed(world) == [world.path("d/IMG_1.HEIC"), world.path("d/IMG_1-a.JPG"), world.path("d/IMG_1.MOV")])
        // One bulk request, never force, and no scan for files of deleted photos.
        #expect(world.mutatingCalls() == ["DELETE /api/assets": 1], "\(world.mutatingCalls())")
        let photos = first.lines.filter { $0["type"] == "photo" }
        #expect(photos.allSatisfy { $0["errors"] == nil }, "\(first.stdout)")
        #expect(photos.first { $0["id"] == "P1" }?["done"]?["trash"]?["trashed"] == 3)
        #expect(photos.first { $0["id"] == "P9" }?["files"]?["original"]?["asset"] == nil)
        let stats = Self.stats(first, "immich-trash")
        #expect(stats?["trashed"] == 3 && stats?["restored"] == 0 && stats?["unchanged"] == 0 && stats?["errors"] == 0)

        // Again: the trashed assets are found in the trash and left there, without a request.
        world.immich.resetCounts()
        let second = try await runPipeline([Self.scan, ("immich-trash", [])], input: deletions, environment: world.environment)
        #expect(second.statuses == [0, 0], "\(second.stderr)")
        #expect(world.mutatingCalls() == [:], "\(world.mutatingCalls())")
        #expect(Self.stats(second, "immich-trash")?["unchanged"] == 3)
        #expect(second.lines.filter { $0["type"] == "photo" }.first { $0["id"] == "P1" }?["files"]?["adjusted"]?["asset"] != nil)

        // P1 is back from Recently Deleted (downloaded again): its assets leave the trash.
        for file in ["d/IMG_1.HEIC", "d/IMG_1-a.JPG", "d/IMG_1.MOV"] { try world.touch(file) }
        let restored = Self.record(world, id: "P1", status: "existing", files: [("original", "d/IMG_1.HEIC"), ("adjusted", "d/IMG_1-a.JPG")],
                                   live: [("original", "d/IMG_1.MOV")], extra: ["changed": ["restored"]]) + "\n"
        world.immich.resetCounts()
        let kept = try await runPipeline([Self.scan, ("immich-trash", ["--no-restore"])], input: restored, environment: world.environment)
        #expect(kept.statuses == [0, 0], "\(kept.stderr)")
        #expect(world.mutatingCalls() == [:], "\(world.mutatingCalls())")
        #expect(try Self.trashed(world).count == 3)
        let back = try await runPipeline([Self.scan, ("immich-trash", [])], input: restored, environment: world.environment)
        #expect(back.statuses == [0, 0], "\(back.stderr)")
        #expect(try Self.trashed(world).isEmpty)
        #expect(world.mutatingCalls() == ["POST /api/trash/restore/assets": 1], "\(world.mutatingCalls())")
        #expect(Self.stats(back, "immich-trash")?["restored"] == 3)
        world.immich.resetCounts()
        _ = try await runPipeline([Self.scan, ("immich-trash", [])], input: restored, environment: world.environment)
        #expect(world.mutatingCalls() == [:], "\(world.mutatingCalls())")
    }

    /// A restored photo whose files a library scan had put in the trash (offline, after
    /// --auto-delete removed them) comes back with immich-scan's scan, not with a trash restore.
    @Test(arguments: ["2.5.6", "3.2.0"])
    func restoredPhotoTrashedByAScanComesBackWithTheScan(version: String) async throws {
        let world = try StepsWorld(version: version)
        try await Self.registered(world)
        for file in ["d/IMG_3.HEIC", "d/IMG_3.MOV"] { try FileManager.default.removeItem(atPath: world.path(file)) }
        let other = try world.record(id: "P4", created: "2024-05-04T10:00:00Z", favorite: false, files: [("original", "d/IMG_4.HEIC")]) + "\n"
        let scanned = try await runPipeline([Self.scan], input: other, environment: world.environment)
        #expect(scanned.statuses == [0], "\(scanned.stderr)")
        #expect(try Self.trashed(world) == [world.path("d/IMG_3.HEIC"), world.path("d/IMG_3.MOV")])

        let ids = (try world.assetId("d/IMG_3.HEIC"), try world.assetId("d/IMG_3.MOV"))
        for file in ["d/IMG_3.HEIC", "d/IMG_3.MOV"] { try world.touch(file) }
        let restored = Self.record(world, id: "P3", status: "downloaded", files: [("original", "d/IMG_3.HEIC")],
                                   live: [("original", "d/IMG_3.MOV")], extra: ["changed": ["restored"]]) + "\n"
        world.immich.resetCounts()
        let run = try await runPipeline([Self.scan, ("immich-trash", [])], input: restored, environment: world.environment)
        #expect(run.statuses == [0, 0], "\(run.stderr)")
        #expect(try Self.trashed(world).isEmpty)
        #expect(world.mutatingCalls() == ["POST /api/libraries/{id}/scan": 1], "\(world.mutatingCalls())")
        let photo = run.lines.first { $0["type"] == "photo" }
        #expect(photo?["errors"] == nil && photo?["files"]?["original"]?["asset"]?.stringValue == ids.0, "\(run.stdout)")
        #expect(photo?["live"]?["original"]?["asset"]?.stringValue == ids.1)
    }

    @Test(arguments: ["2.5.6", "3.2.0"])
    func dryRunChangesNothingAndSaysWhatItWouldDo(version: String) async throws {
        let world = try StepsWorld(version: version)
        try await Self.registered(world)
        let input = Self.deleted(world, id: "P3", files: [("original", "d/IMG_3.HEIC")], live: [("original", "d/IMG_3.MOV")]) + "\n"
        world.immich.resetCounts()
        let run = try await runPipeline([Self.scan, ("immich-trash", ["--dry-run"])], input: input, environment: world.environment)
        #expect(run.statuses == [0, 0], "\(run.stderr)")
        #expect(world.mutatingCalls() == [:], "\(world.mutatingCalls())")
        #expect(try Self.trashed(world).isEmpty)
        #expect(run.stderr.contains("would move 2 asset(s) to Immich's trash"), "\(run.stderr)")
    }

    /// Steps other than immich-trash forward a deleted photo untouched.
    @Test func stackAndFavouriteStepsLeaveDeletedPhotosAlone() async throws {
        let world = try StepsWorld(version: "3.2.0")
        try await Self.registered(world)
        let input = Self.deleted(world, id: "P1", files: [("original", "d/IMG_1.HEIC"), ("adjusted", "d/IMG_1-a.JPG")],
                                 live: [("original", "d/IMG_1.MOV")]) + "\n"
        world.immich.resetCounts()
        let run = try await runPipeline([Self.scan, ("immich-stack", ["--associate-live-with-extra-sizes"]), ("immich-fav", ["--mirror"])],
                                        input: input, environment: world.environment)
        #expect(run.statuses == [0, 0, 0], "\(run.stderr)")
        #expect(world.mutatingCalls() == [:], "\(world.mutatingCalls())")
        let photo = run.lines.first { $0["type"] == "photo" }
        #expect(photo?["errors"] == nil && photo?["done"]?["stack"] == nil && photo?["done"]?["fav"] == nil)
        #expect(try world.state()["assets"]?.arrayValue?.contains { $0["isFavorite"] == true } == true)
    }

    /// The commit's summary counts deleted photos apart, not as existing ones or registered files.
    @Test func commitSummaryCountsDeletedPhotosApart() async throws {
        let world = try StepsWorld(version: "2.5.6")
        try await Self.registered(world)
        let input = Self.deleted(world, id: "P2", files: [("original", "d/IMG_2.HEIC")]) + "\n"
        let run = try await runPipeline([("immich-batch", ["--log", world.path("journal.json")]), Self.scan, ("immich-trash", []),
                                         ("immich-batch", ["--commit", "--log", world.path("journal.json")])],
                                        input: input, environment: world.environment)
        #expect(run.statuses == [0, 0, 0, 0], "\(run.stderr)")
        let summary = run.lines.first { $0["type"] == "summary" }
        #expect(summary?["photos"] == 1 && summary?["deleted"] == 1 && summary?["existing"] == 0 && summary?["filesRegistered"] == 0,
                "\(run.stdout)")
        #expect(summary?["steps"]?["immich-trash"]?["trashed"] == 1)
    }
}
