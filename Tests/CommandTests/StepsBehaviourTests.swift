import Foundation
import Sandbox
import Shared
import Testing

/// Single steps on hand-shaped states: fixing stacks, bulk errors, mirroring, dry runs, gates.
@Suite(.serialized) struct StepsBehaviourTests {
    /// One edited photo (a, o, m) and one plain photo (o2, m2), scanned; returns the annotated records.
    static func scanned(_ world: StepsWorld, favorite: Bool = true) async throws -> String {
        let input = [
            try world.record(id: "P1", created: "2024-03-01T10:00:00+01:00", favorite: favorite,
                             files: [("original", "x/IMG_1.HEIC"), ("medium", "x/IMG_1-m.JPG"), ("adjusted", "x/IMG_1-a.JPG")]),
            try world.record(id: "P2", created: "2024-03-02T10:00:00+01:00", favorite: false,
                             files: [("original", "x/IMG_2.HEIC"), ("medium", "x/IMG_2-m.JPG")]),
        ].joined(separator: "\n") + "\n"
        let result = try await runPipeline([("immich-scan", ["--poll-interval", "0.05"])], input: input, environment: world.environment)
        #expect(result.statuses == [0], "\(result.stderr)")
        return result.lines.filter { $0["type"] == "photo" }.map(\.serialized).joined(separator: "\n") + "\n"
    }

    static func client(_ world: StepsWorld) async throws -> ImmichClient {
        try await ImmichClient.connect(serverURL: world.immich.baseURL, apiKey: world.immich.apiKey)
    }

    static func stackOf(_ world: StepsWorld, _ asset: String) throws -> (primary: String, members: Set<String>)? {
        guard let stack = try world.state()["stacks"]?.arrayValue?.first(where: { $0["assetIds"]?.arrayValue?.contains(.string(asset)) ?? false })
        else { return nil }
        return (stack["primaryAssetId"]!.stringValue!, Set(stack["assetIds"]!.arrayValue!.compactMap(\.stringValue)))
    }

    @Test func stacksAreFixedWithTheFewestCalls() async throws {
        let world = try StepsWorld(version: "2.5.6")
        let records = try await Self.scanned(world)
        let (a, o, m) = (try world.assetId("x/IMG_1-a.JPG"), try world.assetId("x/IMG_1.HEIC"), try world.assetId("x/IMG_1-m.JPG"))
        let stranger = try world.assetId("x/IMG_2-m.JPG")
        let client = try await Self.client(world)

        // The user stacked two sizes with the original on top: the missing size joins, the primary stays.
        try await client.call("POST", "/stacks", body: ["assetIds": [.string(o), .string(m)]])
        world.immich.resetCounts()
        var run = try await runPipeline([("immich-stack", [])], input: records, environment: world.environment)
        #expect(run.statuses == [0], "\(run.stderr)")
        #expect(try Self.stackOf(world, a)?.primary == o)
        #expect(try Self.stackOf(world, a)?.members == [a, o, m])
        #expect(world.mutatingCalls()["POST /api/stacks"] == 2)  // P1 fixed, P2 created
        #expect(run.lines.last?["stacksFixed"] == 1)

        // A foreign primary on top of all our sizes: one PUT, no new stack.
        try await client.call("POST", "/stacks", body: ["assetIds": [.string(stranger), .string(a), .string(o), .string(m)]])
        world.immich.resetCounts()
        run = try await runPipeline([("immich-stack", ["adjusted,original,medium"])], input: records, environment: world.environment)
        #expect(run.statuses == [0], "\(run.stderr)")
        #expect(try Self.stackOf(world, a)?.primary == a)
        #expect(world.mutatingCalls()["PUT /api/stacks/{id}"] == 1)
        #expect(world.mutatingCalls()["POST /api/stacks"] == 1)  // P2's stack lost its member to the stranger's stack

        // Right as it is: nothing is sent.
        world.immich.resetCounts()
        run = try await runPipeline([("immich-stack", ["adjusted,original,medium"])], input: records, environment: world.environment)
        #expect(world.mutatingCalls() == [:])
        #expect(try world.state()["stacks"]!.arrayValue!.count == 2)
    }

    @Test func aRejectedBulkFavouriteIsSplitAndBlamesOnlyItsRecord() async throws {
        let world = try StepsWorld(version: "3.2.0")
        var lines = try await Self.scanned(world).split(separator: "\n").map(String.init)
        // A third photo whose asset id Immich does not know.
        lines.append(#"{"type":"photo","id":"P3","favorite":true,"files":{"original":{"path":"/nowhere/a.HEIC","asset":"5b1c7a2e-3f4d-4e5a-9b6c-7d8e9f0a1b2c"}}}"#)
        lines[1] = lines[1].replacingOccurrences(of: #""favorite":false"#, with: #""favorite":true"#)
        let run = try await runPipeline([("immich-fav", [])], input: lines.joined(separator: "\n") + "\n", environment: world.environment)
        #expect(run.statuses == [5], "\(run.stderr)")
        let photos = run.lines.filter { $0["type"] == "photo" }
        #expect(photos.map { $0["errors"] == nil } == [true, true, false])
        #expect(photos[2]["errors"]?.arrayValue?.first?["message"]?.stringValue?.contains("5b1c7a2e") == true)
        #expect(photos[2]["errors"]?.arrayValue?.first?["stage"] == "immich-fav")
        let favourites = try world.state()["assets"]!.arrayValue!.filter { $0["isFavorite"] == true }.count
        #expect(favourites == 5)
        #expect(run.lines.last?["favorites"] == 5)
        #expect(run.lines.last?["errors"] == 1)
    }

    @Test func favouritesAreOnlyRemovedWhenMirroring() async throws {
        let world = try StepsWorld(version: "2.5.6")
        let records = try await Self.scanned(world, favorite: false)
        let client = try await Self.client(world)
        let a = try world.assetId("x/IMG_1-a.JPG")
        try await client.call("PUT", "/assets", body: ["ids": [.string(a)], "isFavorite": true])
        world.immich.resetCounts()
        _ = try await runPipeline([("immich-fav", ["adjusted"])], input: records, environment: world.environment)
        #expect(world.mutatingCalls() == [:])
        _ = try await runPipeline([("immich-fav", ["--mirror", "adjusted"])], input: records, environment: world.environment)
        #expect(world.mutatingCalls() == ["PUT /api/assets": 1])
        #expect(try world.state()["assets"]!.arrayValue!.allSatisfy { $0["isFavorite"] == false })
    }

    @Test func dryRunsChangeNothingAndSayWhatTheyWouldDo() async throws {
        let world = try StepsWorld(version: "3.0.1")
        let records = try await Self.scanned(world)
        world.immich.resetCounts()
        let run = try await runPipeline([("immich-stack", ["--dry-run", "--associate-live-with-extra-sizes"]), ("immich-fav", ["--dry-run"]),
                                         ("immich-album", ["--dry-run", "[adjusted]:A/{:%Y}"])], input: records, environment: world.environment)
        #expect(run.statuses == [0, 0, 0], "\(run.stderr)")
        #expect(world.mutatingCalls() == [:])
        #expect(run.stderr.contains("would stack 3 assets"))
        #expect(run.stderr.contains("would mark 3 asset(s) as favourite"))
        #expect(run.stderr.contains("would create album 'A/2024' with 1 asset(s)"))
        #expect(!FileManager.default.fileExists(atPath: world.path(".pyicloud/immich_album_state.sqlite")), "a dry run wrote the album state")
    }

    @Test func recordsWithoutAssetIdsPassUntouched() async throws {
        let world = try StepsWorld(version: "2.5.6")
        let line = #"{"type":"photo","id":"Z","created":"2024-01-01T00:00:00Z","favorite":true,"n":1.50,"files":{"original":{"path":"/a/b.HEIC"},"adjusted":{"path":"/a/b-a.JPG"}}}"#
        let run = try await runPipeline([("immich-stack", ["--associate-live-with-extra-sizes"]), ("immich-fav", []), ("immich-album", ["X"])],
                                        input: line + "\n", environment: world.environment)
        #expect(run.statuses == [0, 0, 0], "\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").first.map(String.init) == line)
        #expect(world.mutatingCalls() == [:])
    }

    @Test func oldServersAreRefusedNamingTheirVersion() async throws {
        let world = try StepsWorld(version: "1.112.0")
        var run = try await runPipeline([("immich-stack", [])], input: "", environment: world.environment)
        #expect(run.statuses == [1])
        #expect(run.stderr.contains("v1.112.0") && run.stderr.contains("v1.113"))
        world.immich.setConfig { $0.version = "1.114.0" }
        run = try await runPipeline([("immich-stack", ["--no-stack", "--associate-live-with-extra-sizes"])], input: "", environment: world.environment)
        #expect(run.statuses == [1])
        #expect(run.stderr.contains("v1.114.0") && run.stderr.contains("v1.115"))
    }

    @Test func skippedStepsAreRespected() async throws {
        let world = try StepsWorld(version: "2.5.6")
        let records = try await Self.scanned(world).replacingOccurrences(of: #"{"type":"photo","#, with: #"{"type":"photo","steps":["scan","fav"],"#)
        world.immich.resetCounts()
        let run = try await runPipeline([("immich-stack", []), ("immich-fav", ["adjusted"]), ("immich-album", ["X"])], input: records, environment: world.environment)
        #expect(run.statuses == [0, 0, 0], "\(run.stderr)")
        #expect(world.mutatingCalls() == ["PUT /api/assets": 1])
    }

    @Test(arguments: ["2.5.6", "3.0.1", "3.1.0", "3.2.0", "3.3.5"])
    func albumRefusalsLandOnTheirRecordOnly(version: String) async throws {
        let world = try StepsWorld(version: version)
        var lines = try await Self.scanned(world).split(separator: "\n").map(String.init)
        let foreign = #"{"type":"photo","id":"F","created":"2024-03-09T10:00:00Z","files":{"original":{"path":"/elsewhere/f.HEIC","asset":"5b1c7a2e-3f4d-4e5a-9b6c-7d8e9f0a1b2c"}}}"#
        // New album: POST /albums silently drops the unknown id; the count gives it away.
        lines.insert(foreign, at: 1)
        var run = try await runPipeline([("immich-album", ["[original]:Raw"])], input: lines.joined(separator: "\n") + "\n", environment: world.environment)
        #expect(run.statuses == [5], "\(run.stderr)")
        var photos = run.lines.filter { $0["type"] == "photo" }
        #expect(photos.map { $0["errors"] == nil } == [true, false, true])
        #expect(photos[0]["done"]?["album"] == ["Raw"])
        // Existing album: PUT answers per id; duplicates are fine, the unknown id is an error.
        world.immich.resetCounts()
        run = try await runPipeline([("immich-album", ["[original]:Raw"])], input: lines.joined(separator: "\n") + "\n", environment: world.environment)
        photos = run.lines.filter { $0["type"] == "photo" }
        #expect(photos.map { $0["errors"] == nil } == [true, false, true])
        #expect(world.mutatingCalls() == ["PUT /api/albums/{id}/assets": 1])
        let raw = try world.state()["albums"]!.arrayValue!.filter { $0["albumName"] == "Raw" }
        #expect(raw.count == 1)
        #expect(raw.first?["assetIds"]?.arrayValue?.count == 2)
    }
}
