import Foundation
import Sandbox
import Shared
import Testing

/// `{album}` rules and `immich-album --mirror` on hand-written records with `albums`: the right
/// albums with exactly their members, removal of what the rules added only, dry runs, and a
/// second run that changes nothing.
@Suite(.serialized) struct AlbumMirrorTests {
    /// The record line with `changes` applied to its top-level members (nil removes one).
    static func edited(_ line: String, _ changes: [String: JSON?]) throws -> String {
        var object = try JSON.parse(line).objectValue!
        for (key, value) in changes { object[key] = value }
        return JSON.object(object).serialized
    }

    static func names(_ list: [String]) -> JSON { .array(list.map(JSON.string)) }

    /// Album name → the paths (relative to the world's root) of its members.
    static func albums(_ world: StepsWorld) throws -> [String: Set<String>] {
        let state = try world.state()
        var paths: [String: String] = [:]
        for asset in state["assets"]?.arrayValue ?? [] {
            if let id = asset["id"]?.stringValue, let path = asset["originalPath"]?.stringValue {
                paths[id] = String(path.dropFirst(world.root.path.count + 1))
            }
        }
        var albums: [String: Set<String>] = [:]
        for album in state["albums"]?.arrayValue ?? [] {
            let members = (album["assetIds"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { paths[$0] } }
            albums[album["albumName"]!.stringValue!, default: []].formUnion(members)
        }
        return albums
    }

    /// Photos P1…P4 (one original each) with these `albums` (nil: no key), scanned.
    static func scanned(_ world: StepsWorld, _ memberships: [[String]?]) async throws -> [String] {
        var lines: [String] = []
        for (offset, albums) in memberships.enumerated() {
            let n = offset + 1
            let line = try world.record(id: "P\(n)", created: "2024-0\(n)-01T10:00:00Z", favorite: false, files: [("original", "x/IMG_\(n).HEIC")])
            lines.append(try edited(line, ["albums": albums.map(names)]))
        }
        let run = try await runPipeline([("immich-scan", ["--poll-interval", "0.05"])], input: lines.joined(separator: "\n") + "\n",
                                        environment: world.environment)
        #expect(run.statuses == [0], "\(run.stderr)")
        return run.lines.filter { $0["type"] == "photo" }.map(\.serialized)
    }

    static func album(_ lines: [String], _ arguments: [String], _ world: StepsWorld) async throws -> PipelineResult {
        try await runPipeline([("immich-album", arguments)], input: lines.joined(separator: "\n") + "\n", environment: world.environment)
    }

    @Test(arguments: ["2.5.6", "3.2.0"])
    func albumRulesMakeOneAlbumPerICloudAlbum(version: String) async throws {
        let world = try StepsWorld(version: version)
        let lines = try await Self.scanned(world, [["Family/Kids", "Trip"], ["Trip"], [], nil])
        let run = try await Self.album(lines, ["iCloud/{album}", "--album", "[original]:{album} {:%Y}", "--album", "[original]:All"], world)
        #expect(run.statuses == [0], "\(run.stderr)")
        #expect(try Self.albums(world) == [
            "iCloud/Trip": ["x/IMG_1.HEIC", "x/IMG_2.HEIC"], "iCloud/Family/Kids": ["x/IMG_1.HEIC"],
            "Trip 2024": ["x/IMG_1.HEIC", "x/IMG_2.HEIC"], "Family/Kids 2024": ["x/IMG_1.HEIC"],
            "All": ["x/IMG_1.HEIC", "x/IMG_2.HEIC", "x/IMG_3.HEIC", "x/IMG_4.HEIC"],
        ])
        let photos = run.lines.filter { $0["type"] == "photo" }
        #expect(photos[0]["done"]?["album"] == ["iCloud/Family/Kids", "iCloud/Trip", "Family/Kids 2024", "Trip 2024", "All"])
        #expect(photos[2]["done"]?["album"] == ["All"])
        #expect(photos.allSatisfy { $0["errors"] == nil })

        // A second run changes nothing.
        world.immich.resetCounts()
        let again = try await Self.album(lines, ["iCloud/{album}", "--album", "[original]:{album} {:%Y}", "--album", "[original]:All"], world)
        #expect(again.statuses == [0], "\(again.stderr)")
        #expect(world.mutatingCalls().isEmpty)
    }

    @Test func badPlaceholdersNameWhatIsAllowed() async throws {
        let run = try await ToolRunner.run("immich-album", ["iCloud/{albums}"], environment: ["IMMICH_SERVER_URL": "http://127.0.0.1:9", "IMMICH_API_KEY": "k"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("invalid album rule 'iCloud/{albums}': bad placeholder '{albums}': write {album}"))
    }

    @Test(arguments: ["2.5.6", "3.2.0"])
    func mirrorRemovesOnlyWhatTheRulesAdded(version: String) async throws {
        let world = try StepsWorld(version: version)
        var lines = try await Self.scanned(world, [["Beach", "Trip"], ["Trip"], ["Beach"], ["Trip"]])
        let (p1, p2, p3) = (try world.assetId("x/IMG_1.HEIC"), try world.assetId("x/IMG_2.HEIC"), try world.assetId("x/IMG_3.HEIC"))
        let client = try await StepsBehaviourTests.client(world)
        // Made by hand before any run: an album the rules never name, and the rules' Beach album
        // already holding P3 (so the rule finds P3 there and never claims it).
        try await client.call("POST", "/albums", body: ["albumName": "Mine", "assetIds": [.string(p1), .string(p2)]])
        try await client.call("POST", "/albums", body: ["albumName": "iCloud/Beach", "assetIds": [.string(p3)]])
        let rule = "[original]:iCloud/{album}"
        let first = try await Self.album(lines, [rule], world)
        #expect(first.statuses == [0], "\(first.stderr)")
        let before: [String: Set<String>] = [
            "Mine": ["x/IMG_1.HEIC", "x/IMG_2.HEIC"],
            "iCloud/Beach": ["x/IMG_1.HEIC", "x/IMG_3.HEIC"],
            "iCloud/Trip": ["x/IMG_1.HEIC", "x/IMG_2.HEIC", "x/IMG_4.HEIC", "x/IMG_3.HEIC"],
        ]
        // By hand after the run: P3 into the rules' Trip album.
        let trip = try world.state()["albums"]!.arrayValue!.first { $0["albumName"] == "iCloud/Trip" }!["id"]!.stringValue!
        try await client.call("PUT", "/albums/\(trip)/assets", body: ["ids": [.string(p3)]])
        #expect(try Self.albums(world) == before)

        // In iCloud: P1 left Beach, P2 was deleted, P3 left Beach (where the tool never put it),
        // P4's record does not say (memberships unknown).
        lines[0] = try Self.edited(lines[0], ["albums": ["Trip"], "changed": ["albums"]])
        var deleted = try JSON.parse(lines[1]).objectValue!
        deleted["deleted"] = true
        deleted["changed"] = ["deleted"]
        deleted["albums"] = []
        var files = deleted["files"]!.objectValue!
        var original = files["original"]!.objectValue!
        original["status"] = "deleted"
        files["original"] = .object(original)
        deleted["files"] = .object(files)
        lines[1] = JSON.object(deleted).serialized
        lines[2] = try Self.edited(lines[2], ["albums": [], "changed": ["albums"]])
        lines[3] = try Self.edited(lines[3], ["albums": nil])

        // Without --mirror: nothing is removed, nothing is sent.
        world.immich.resetCounts()
        let plain = try await Self.album(lines, [rule], world)
        #expect(plain.statuses == [0], "\(plain.stderr)")
        #expect(world.mutatingCalls().isEmpty)
        #expect(try Self.albums(world) == before)
        #expect(plain.lines.filter { $0["type"] == "photo" }[1]["done"]?["album"] == nil)

        // A dry run says what it would remove and changes nothing.
        let dry = try await Self.album(lines, [rule, "--mirror", "--dry-run"], world)
        #expect(dry.statuses == [0], "\(dry.stderr)")
        #expect(dry.stderr.contains("would remove 1 asset(s) from album 'iCloud/Beach'"), "\(dry.stderr)")
        #expect(dry.stderr.contains("would remove 1 asset(s) from album 'iCloud/Trip'"), "\(dry.stderr)")
        #expect(world.mutatingCalls().isEmpty)
        #expect(try Self.albums(world) == before)

        // --mirror: P1 leaves Beach, P2 leaves Trip; the hand-made album, P3 (hand-added to Trip,
        // hand-placed in Beach) and P4 (unknown memberships) stay.
        let mirrored = try await Self.album(lines, [rule, "--mirror"], world)
        #expect(mirrored.statuses == [0], "\(mirrored.stderr)")
        #expect(try Self.albums(world) == [
            "Mine": ["x/IMG_1.HEIC", "x/IMG_2.HEIC"],
            "iCloud/Beach": ["x/IMG_3.HEIC"],
            "iCloud/Trip": ["x/IMG_1.HEIC", "x/IMG_4.HEIC", "x/IMG_3.HEIC"],
        ])
        #expect(world.mutatingCalls() == ["DELETE /api/albums/{id}/assets": 2])
        let stats = mirrored.lines.first { $0["type"] == "stats" }
        #expect(stats?["albumRemovals"] == 2 && stats?["albumAdds"] == 0 && stats?["errors"] == 0)
        #expect(mirrored.lines.filter { $0["type"] == "photo" }.allSatisfy { $0["errors"] == nil })

        // Once more: nothing left to do.
        world.immich.resetCounts()
        let again = try await Self.album(lines, [rule, "--mirror"], world)
        #expect(again.statuses == [0], "\(again.stderr)")
        #expect(world.mutatingCalls().isEmpty)
    }

    @Test func aDeletedICloudAlbumEmptiesWhatTheRuleAddedAndLeavesTheAlbum() async throws {
        let world = try StepsWorld(version: "3.2.0")
        var lines = try await Self.scanned(world, [["Party"], ["Party", "Trip"]])
        let rule = "[original]:{album}"
        #expect(try await Self.album(lines, [rule], world).statuses == [0])
        // The iCloud album "Party" is deleted: its members come with changed:["albums"].
        lines[0] = try Self.edited(lines[0], ["albums": [], "changed": ["albums"]])
        lines[1] = try Self.edited(lines[1], ["albums": ["Trip"], "changed": ["albums"]])
        let run = try await Self.album(lines, [rule, "--mirror"], world)
        #expect(run.statuses == [0], "\(run.stderr)")
        #expect(try Self.albums(world) == ["Party": [], "Trip": ["x/IMG_2.HEIC"]])
    }

    /// The plugin: `--immich-album-mirror` reaches immich-album, an existing photo whose albums
    /// changed is routed to the album step, and the album state sits beside the journal.
    @Test func pluginMirrorsAlbumChangesOfExistingPhotos() async throws {
        let workspace = try ImmichWorkspace(version: "3.2.0")
        let original = try workspace.write("IMG_1.HEIC")
        let other = try workspace.write("IMG_2.HEIC")
        func feed(_ name: String, _ lines: [String]) throws -> String {
            let path = workspace.root + "/" + name
            try lines.joined().write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        func line(_ id: String, _ path: String, albums: [String], status: String, changed: [String]? = nil) throws -> String {
            var object = try JSON.parse(workspace.record(id, files: [("original", path)])).objectValue!
            object["albums"] = Self.names(albums)
            if let changed { object["changed"] = Self.names(changed) }
            object["files"] = ["original": ["path": .string(path), "status": .string(status)]]
            return JSON.object(object).serialized + "\n"
        }
        let base = ["-d", workspace.photos, "-u", "a@b.c", "--plugin", "immich", "--immich-server-url", workspace.immich.baseURL,
                    "--immich-library-id", workspace.immich.libraryId, "--immich-batch-log-file", workspace.journal,
                    "--immich-poll-interval", "0.02", "--immich-album", "[original]:iCloud/{album}"]
        func run(_ records: String, mirror: Bool) async throws -> ToolRunner.Result {
            try await ToolRunner.run("icloudpd", base + (mirror ? ["--immich-album-mirror"] : []), environment: [
                "HOME": workspace.root, "IMMICH_API_KEY": workspace.immich.apiKey, "ICLOUDPD_PLUGIN_RECORDS": records])
        }
        func albums() throws -> [String: Int] {
            let state = try JSON.parse(Array(workspace.immich.stateJSON()))
            return Dictionary(uniqueKeysWithValues: (state["albums"]?.arrayValue ?? []).map {
                ($0["albumName"]!.stringValue!, $0["assetIds"]!.arrayValue!.count)
            })
        }
        let first = try await run(try feed("1.ndjson", [try line("P1", original, albums: ["Beach", "Trip"], status: "downloaded"),
                                                         try line("P2", other, albums: ["Trip"], status: "downloaded")]), mirror: true)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try albums() == ["iCloud/Beach": 1, "iCloud/Trip": 2])
        #expect(FileManager.default.fileExists(atPath: workspace.root + "/immich_album_state.sqlite"))

        // P1 left Beach and joined Party; its files all existed.
        let moved = try feed("2.ndjson", [try line("P1", original, albums: ["Party", "Trip"], status: "existing", changed: ["albums"])])
        let plain = try await run(moved, mirror: false)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(try albums() == ["iCloud/Beach": 1, "iCloud/Trip": 2, "iCloud/Party": 1])
        let mirrored = try await run(moved, mirror: true)
        #expect(mirrored.status == 0, "\(mirrored.stderr)")
        #expect(try albums() == ["iCloud/Beach": 0, "iCloud/Trip": 2, "iCloud/Party": 1])
        workspace.immich.resetCounts()
        let again = try await run(moved, mirror: true)
        #expect(again.status == 0, "\(again.stderr)")
        let counts = workspace.immich.requestCounts().filter { $0.key != "total" && !$0.key.hasPrefix("GET ") && $0.key != "POST /api/search/metadata" }
        #expect(counts.isEmpty, "\(counts)")
    }
}
