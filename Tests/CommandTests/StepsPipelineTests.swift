import Foundation
import Sandbox
import Shared
import Testing

/// The icloudpd Immich plugin's real-world example against the sandbox: sizes original, medium,
/// adjusted; stack; favourite adjusted; three size albums plus a monthly one; live links to every
/// size.
@Suite(.serialized) struct StepsPipelineTests {
    static let albumRules = ["[adjusted]:iCloud", "[medium]:iCloud JPG", "[original]:iCloud Raw", "[adjusted]:iCloud/{:%Y/%m}"]

    static func steps(scan: [String] = []) -> [(String, [String])] {
        [("immich-scan", ["--scan-timeout", "20", "--poll-interval", "0.1"] + scan),
         ("immich-stack", ["--associate-live-with-extra-sizes"]),
         ("immich-fav", ["adjusted"]),
         ("immich-album", albumRules)]
    }

    /// Four photos, two per month across a year boundary, whose month depends on their own offset.
    static func input(_ world: StepsWorld) throws -> String {
        let p1 = try world.record(  // favourite, edited, live (auto-linked by the server: same basename)
            id: "P1", created: "2024-12-31T23:30:00-08:00", favorite: true,
            files: [("original", "a/IMG_0001.HEIC"), ("medium", "a/IMG_0001-medium.JPG"), ("adjusted", "a/IMG_0001-adjusted.JPG")],
            live: [("original", "a/IMG_0001.MOV")])
        let p2 = try world.record(  // not favourite, unedited: adjusted falls back to the original
            id: "P2", created: "2025-01-01T00:30:00+09:00", favorite: false,
            files: [("original", "b/IMG_0002.HEIC"), ("medium", "b/IMG_0002-medium.JPG"), ("adjusted", "b/IMG_0002.HEIC")],
            fallback: ["adjusted": "original"])
        let p3 = try world.record(  // favourite, unedited, live with its own medium video
            id: "P3", created: "2024-12-15T10:00:00Z", favorite: true,
            files: [("original", "a/IMG_0003.HEIC"), ("medium", "a/IMG_0003-medium.JPG"), ("adjusted", "a/IMG_0003.HEIC")],
            fallback: ["adjusted": "original"],
            live: [("original", "a/IMG_0003_HEVC.MOV"), ("medium", "a/IMG_0003_HEVC-medium.MOV")])
        let p4 = try world.record(  // not favourite, edited, no medium (falls back to the original), live
            id: "P4", created: "2025-01-20T12:00:00+01:00", favorite: false,
            files: [("original", "b/IMG_0004.HEIC"), ("medium", "b/IMG_0004.HEIC"), ("adjusted", "b/IMG_0004-adjusted.JPG")],
            fallback: ["medium": "original"],
            live: [("original", "b/IMG_0004_HEVC.MOV")])
        return [p1, p2, #"{"type":"batch","seq":1}"#, p3, p4, #"{"type":"batch","seq":2}"#].joined(separator: "\n") + "\n"
    }

    /// Asserts the exact final state the example must leave.
    static func expectExactState(_ world: StepsWorld) throws {
        func id(_ path: String) throws -> String { try world.assetId(path) }
        let (a1, o1, m1, v1) = (try id("a/IMG_0001-adjusted.JPG"), try id("a/IMG_0001.HEIC"), try id("a/IMG_0001-medium.JPG"), try id("a/IMG_0001.MOV"))
        let (o2, m2) = (try id("b/IMG_0002.HEIC"), try id("b/IMG_0002-medium.JPG"))
        let (o3, m3, v3, vm3) = (try id("a/IMG_0003.HEIC"), try id("a/IMG_0003-medium.JPG"), try id("a/IMG_0003_HEVC.MOV"), try id("a/IMG_0003_HEVC-medium.MOV"))
        let (a4, o4, v4) = (try id("b/IMG_0004-adjusted.JPG"), try id("b/IMG_0004.HEIC"), try id("b/IMG_0004_HEVC.MOV"))
        let state = try world.state()

        let stacks = (state["stacks"]?.arrayValue ?? []).map { stack in
            (primary: stack["primaryAssetId"]?.stringValue ?? "", members: Set((stack["assetIds"]?.arrayValue ?? []).compactMap(\.stringValue)))
        }
        #expect(stacks.count == 4)
        let expectedStacks: [(String, Set<String>)] = [(a1, [a1, o1, m1]), (o2, [o2, m2]), (o3, [o3, m3]), (a4, [a4, o4])]
        for (primary, members) in expectedStacks {
            #expect(stacks.contains { $0.primary == primary && $0.members == members }, "stack with primary \(primary)")
        }

        let assets = state["assets"]?.arrayValue ?? []
        let favourites = Set(assets.filter { $0["isFavorite"] == true }.compactMap { $0["id"]?.stringValue })
        #expect(favourites == [a1, o3])

        var links: [String: String] = [:]
        for asset in assets { if let video = asset["livePhotoVideoId"]?.stringValue { links[asset["id"]!.stringValue!] = video } }
        #expect(links == [a1: v1, o1: v1, m1: v1, o3: v3, m3: vm3, a4: v4, o4: v4])

        var albums: [String: [Set<String>]] = [:]
        for album in state["albums"]?.arrayValue ?? [] where album["ownerId"]?.stringValue == world.immich.userId {
            albums[album["albumName"]!.stringValue!, default: []].append(Set((album["assetIds"]?.arrayValue ?? []).compactMap(\.stringValue)))
        }
        #expect(albums["iCloud"] == [[a1, o2, o3, a4]])
        #expect(albums["iCloud JPG"] == [[m1, m2, m3, o4]])
        #expect(albums["iCloud Raw"] == [[o1, o2, o3, o4]])
        #expect(albums["iCloud/2024/12"] == [[a1, o3]])
        #expect(albums["iCloud/2025/01"] == [[o2, a4]])
        #expect(albums.count == 5)
    }

    @Test(arguments: ["2.5.6", "3.0.1", "3.1.0", "3.2.0", "3.3.5"])
    func realWorldExampleIsExactAndIdempotent(version: String) async throws {
        let world = try StepsWorld(version: version) { $0.autoLinkLivePhotos = true }
        // Someone else's older "iCloud" album shared with us loses to our own, newer one.
        let bob = world.immich.addUser(name: "Bob", apiKey: "bob-key", isAdmin: false)
        let bobs = world.immich.addAlbum(name: "iCloud", ownerId: bob, sharedWith: [world.immich.userId])
        _ = world.immich.addAlbum(name: "iCloud", ownerId: nil, sharedWith: [])
        let input = try Self.input(world)

        let first = try await runPipeline(Self.steps(), input: input, environment: world.environment)
        #expect(first.statuses == [0, 0, 0, 0], "\(first.stderr)")
        try Self.expectExactState(world)
        let photos = first.lines.filter { $0["type"] == "photo" }
        #expect(photos.count == 4)
        #expect(photos.allSatisfy { $0["errors"] == nil && $0["stack"]?.stringValue != nil && $0["done"]?["album"] != nil })
        let stats = first.lines.filter { $0["type"] == "stats" }
        #expect(stats.map { $0["stage"]?.stringValue ?? "" } == ["immich-scan", "immich-stack", "immich-fav", "immich-album"])
        #expect(stats[1]["stacksCreated"] == 4)
        #expect(stats[2]["favorites"] == 2)
        #expect(stats[3]["albumsCreated"] == 4)
        let bobsAlbum = try world.state()["albums"]?.arrayValue?.first { $0["id"]?.stringValue == bobs }
        #expect(bobsAlbum?["assetIds"] == [])

        world.immich.resetCounts()
        let second = try await runPipeline(Self.steps(), input: input, environment: world.environment)
        #expect(second.statuses == [0, 0, 0, 0], "\(second.stderr)")
        #expect(world.mutatingCalls() == [:])
        try Self.expectExactState(world)
    }
}
