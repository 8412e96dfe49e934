import Foundation
import Testing
import Sandbox

@Suite struct MutationTests {
    @Test func stacksCreateMergeAndUpdate() async throws {
        let fixture = try SandboxFixture(files: ["a.jpg", "b.jpg", "c.jpg", "d.jpg"])
        try await fixture.scan()
        let (a, b, c, d) = (fixture.assetId("a.jpg"), fixture.assetId("b.jpg"), fixture.assetId("c.jpg"), fixture.assetId("d.jpg"))

        let one = try await fixture.call("POST", "/api/stacks", ["assetIds": [.string(a), .string(b)]])
        #expect(one.status == 201)
        #expect(one.json?["primaryAssetId"]?.stringValue == a)
        #expect(one.json?["assets"]?.arrayValue?.first?["id"]?.stringValue == a)
        let firstId = one.json!["id"]!.stringValue!

        let single = try await fixture.call("POST", "/api/stacks", ["assetIds": [.string(a)]])
        #expect(single.status == 400)

        // A stack whose primary is among the ids is merged into the new stack and deleted.
        let merged = try await fixture.call("POST", "/api/stacks", ["assetIds": [.string(c), .string(a)]])
        #expect(merged.status == 201)
        #expect(merged.json?["assets"]?.arrayValue?.count == 3)
        #expect(try await fixture.call("GET", "/api/stacks/\(firstId)").status == 400)
        let stackId = merged.json!["id"]!.stringValue!

        let asset = try await fixture.call("GET", "/api/assets/\(b)")
        #expect(asset.json?["stack"]?["id"]?.stringValue == stackId)
        #expect(asset.json?["stack"]?["assetCount"] == 3)
        #expect(try await fixture.call("GET", "/api/assets/\(d)").json?["stack"] == .null)

        let bad = try await fixture.call("PUT", "/api/stacks/\(stackId)", ["primaryAssetId": .string(d)])
        #expect(bad.json?["message"] == "Primary asset must be in the stack")
        let good = try await fixture.call("PUT", "/api/stacks/\(stackId)", ["primaryAssetId": .string(b)])
        #expect(good.status == 200)
        #expect(good.json?["primaryAssetId"]?.stringValue == b)

        let byPrimary = try await fixture.call("GET", "/api/stacks?primaryAssetId=\(b)")
        #expect(byPrimary.json?.arrayValue?.count == 1)

        #expect(try await fixture.call("DELETE", "/api/stacks/\(stackId)/assets/\(b)").json?["message"] == "Cannot remove stack's primary asset")
        #expect(try await fixture.call("DELETE", "/api/stacks/\(stackId)/assets/\(c)").status == 204)
        #expect(try await fixture.call("DELETE", "/api/stacks/\(stackId)").status == 204)
        #expect(fixture.asset(a)["stackId"] == .null)
    }

    @Test func bulkFavouriteIsAllOrNothing() async throws {
        let fixture = try SandboxFixture(files: ["a.jpg", "b.jpg"])
        try await fixture.scan()
        let (a, b) = (fixture.assetId("a.jpg"), fixture.assetId("b.jpg"))
        let unknown = UUID().uuidString.lowercased()
        let rejected = try await fixture.call("PUT", "/api/assets", ["ids": [.string(a), .string(unknown)], "isFavorite": true])
        #expect(rejected.status == 400)
        #expect(rejected.json?["message"] == "Not found or no asset.update access")
        #expect(fixture.asset(a)["isFavorite"] == false)

        let accepted = try await fixture.call("PUT", "/api/assets", ["ids": [.string(a), .string(b)], "isFavorite": true])
        #expect(accepted.status == 204)
        #expect(fixture.asset(a)["isFavorite"] == true && fixture.asset(b)["isFavorite"] == true)
        #expect(try await fixture.search(["isFavorite": true]).count == 2)
    }

    @Test func albumAddReportsPerIdResults() async throws {
        let fixture = try SandboxFixture(files: ["a.jpg", "b.jpg"])
        try await fixture.scan()
        let (a, b) = (fixture.assetId("a.jpg"), fixture.assetId("b.jpg"))
        let created = try await fixture.call("POST", "/api/albums", ["albumName": "Trip", "assetIds": [.string(a), .string(UUID().uuidString.lowercased())]])
        #expect(created.status == 201)
        #expect(created.json?["assetCount"] == 1)
        let albumId = created.json!["id"]!.stringValue!

        let missing = UUID().uuidString.lowercased()
        let added = try await fixture.call("PUT", "/api/albums/\(albumId)/assets", ["ids": [.string(b), .string(a), .string(missing), .string(b)]])
        #expect(added.status == 200)
        #expect(added.json == [["id": .string(b), "success": true],
                               ["id": .string(a), "success": false, "error": "duplicate"],
                               ["id": .string(missing), "success": false, "error": "no_permission"],
                               ["id": .string(b), "success": false, "error": "duplicate"]])

        let twin = try await fixture.call("POST", "/api/albums", ["albumName": "Trip"])
        #expect(twin.status == 201)
        let list = try await fixture.call("GET", "/api/albums")
        #expect(list.json?.arrayValue?.count == 2)
        let containing = try await fixture.call("GET", "/api/albums?assetId=\(b)")
        #expect(containing.json?.arrayValue?.count == 1)

        let detail = try await fixture.call("GET", "/api/albums/\(albumId)")
        #expect(detail.json?["assets"]?.arrayValue?.count == 2)
        let unknownAlbum = try await fixture.call("PUT", "/api/albums/\(UUID().uuidString.lowercased())/assets", ["ids": [.string(a)]])
        #expect(unknownAlbum.json?["message"] == "Album not found")

        let bob = fixture.immich.addUser(name: "Bob", apiKey: "bob-key", isAdmin: false)
        _ = fixture.immich.addAlbum(name: "Shared", ownerId: nil, sharedWith: [bob])
        #expect(try await fixture.call("GET", "/api/albums?shared=true", key: "bob-key").json?.arrayValue?.count == 1)
        #expect(try await fixture.call("GET", "/api/albums", key: "bob-key").json?.arrayValue?.isEmpty == true)
    }

    @Test(arguments: ["2.5.6", "3.1.0", "3.3.5"])
    func albumRemovalReportsPerIdResults(version: String) async throws {
        let fixture = try SandboxFixture(version: version, files: ["a.jpg", "b.jpg", "c.jpg"])
        try await fixture.scan()
        let (a, b, c) = (fixture.assetId("a.jpg"), fixture.assetId("b.jpg"), fixture.assetId("c.jpg"))
        let created = try await fixture.call("POST", "/api/albums", ["albumName": "Trip", "assetIds": [.string(a), .string(b)]])
        let albumId = created.json!["id"]!.stringValue!
        let before = try await fixture.call("GET", "/api/albums")
        let updatedBefore = before.json?.arrayValue?.first?["updatedAt"]

        // Not a member, repeated, or unknown: not_found; only real members leave.
        let removed = try await fixture.call("DELETE", "/api/albums/\(albumId)/assets", ["ids": [.string(a), .string(c), .string(a)]])
        #expect(removed.status == 200)
        #expect(removed.json == [["id": .string(a), "success": true],
                                 ["id": .string(c), "success": false, "error": "not_found"],
                                 ["id": .string(a), "success": false, "error": "not_found"]])
        let state = SandboxJSON.parse(fixture.immich.stateJSON())!
        #expect(state["albums"]?.arrayValue?.first?["assetIds"] == [.string(b)])
        let nothing = try await fixture.call("DELETE", "/api/albums/\(albumId)/assets", ["ids": [.string(c)]])
        #expect(nothing.json == [["id": .string(c), "success": false, "error": "not_found"]])
        #expect(try await fixture.call("GET", "/api/albums").json?.arrayValue?.first?["updatedAt"] != updatedBefore)

        // Body checks as the other routes: ids required and UUIDs; unknown album.
        let noIds = try await fixture.call("DELETE", "/api/albums/\(albumId)/assets", [:])
        #expect(noIds.status == 400)
        let badId = try await fixture.call("DELETE", "/api/albums/\(albumId)/assets", ["ids": ["nope"]])
        #expect(badId.status == 400)
        let unknown = try await fixture.call("DELETE", "/api/albums/\(UUID().uuidString.lowercased())/assets", ["ids": [.string(b)]])
        #expect(unknown.status == 400 && unknown.json?["message"] == "Album not found")

        // Someone the album is shared with may take out only their own assets.
        let bob = fixture.immich.addUser(name: "Bob", apiKey: "bob-key", isAdmin: false)
        let shared = fixture.immich.addAlbum(name: "Shared", ownerId: nil, sharedWith: [bob])
        _ = try await fixture.call("PUT", "/api/albums/\(shared)/assets", ["ids": [.string(b)]])
        let refused = try await fixture.call("DELETE", "/api/albums/\(shared)/assets", ["ids": [.string(b)]], key: "bob-key")
        #expect(refused.json == [["id": .string(b), "success": false, "error": "no_permission"]])
    }

    @Test func v3AlbumHasNoAssets() async throws {
        let fixture = try SandboxFixture(version: "3.0.0")
        let created = try await fixture.call("POST", "/api/albums", ["albumName": "X"])
        let detail = try await fixture.call("GET", "/api/albums/\(created.json!["id"]!.stringValue!)")
        #expect(detail.status == 200)
        #expect(detail.json?["assets"] == nil)
    }

    @Test func livePhotoLinkRules() async throws {
        let fixture = try SandboxFixture(files: ["IMG_1.HEIC", "IMG_1.MOV", "other.jpg"])
        try await fixture.scan()
        let (still, video, other) = (fixture.assetId("IMG_1.HEIC"), fixture.assetId("IMG_1.MOV"), fixture.assetId("other.jpg"))

        let notVideo = try await fixture.call("PUT", "/api/assets/\(still)", ["livePhotoVideoId": .string(other)])
        #expect(notVideo.json?["message"] == "Live photo video must be a video")
        let missing = try await fixture.call("PUT", "/api/assets/\(still)", ["livePhotoVideoId": .string(UUID().uuidString.lowercased())])
        #expect(missing.json?["message"] == "Live photo video not found")

        let bobLib = fixture.immich.addLibrary(ownerId: fixture.immich.addUser(name: "Bob", apiKey: "bob-key", isAdmin: false),
                                               importPaths: [fixture.root.path])
        #expect(try await fixture.call("POST", "/api/libraries/\(bobLib)/scan").status == 204)
        #expect(await fixture.immich.idle(timeout: 5))
        let state = SandboxJSON.parse(fixture.immich.stateJSON())!
        let bobVideo = state["assets"]!.arrayValue!.first { $0["libraryId"]?.stringValue == bobLib && $0["type"] == "VIDEO" }!["id"]!.stringValue!
        let foreign = try await fixture.call("PUT", "/api/assets/\(still)", ["livePhotoVideoId": .string(bobVideo)])
        #expect(foreign.json?["message"] == "Live photo video does not belong to the user")

        let linked = try await fixture.call("PUT", "/api/assets/\(still)", ["livePhotoVideoId": .string(video)])
        #expect(linked.status == 200)
        #expect(linked.json?["livePhotoVideoId"]?.stringValue == video)
        #expect(fixture.asset(video)["visibility"] == "hidden")

        let unlinked = try await fixture.call("PUT", "/api/assets/\(still)", ["livePhotoVideoId": nil])
        #expect(unlinked.json?["livePhotoVideoId"] == .null)
        #expect(fixture.asset(video)["visibility"] == "timeline")

        let old = try SandboxFixture(version: "1.114.0")
        let rejected = try await old.call("PUT", "/api/assets/\(UUID().uuidString.lowercased())", ["livePhotoVideoId": nil])
        #expect(rejected.json?["message"] == ["property livePhotoVideoId should not exist"])
        #expect(try await old.call("GET", "/api/stacks").status == 200)
        let older = try SandboxFixture(version: "1.112.0")
        #expect(try await older.call("GET", "/api/stacks").status == 404)
    }
}
