import Foundation
import Testing
import Sandbox

/// The sandbox Immich's trash: `DELETE /api/assets` (force false), `POST /api/trash/restore/assets`,
/// trashed assets in `/__state` and in searches as the real server shows them, per version.
@Suite struct TrashTests {
    @Test(arguments: ["2.5.6", "3.3.5"])
    func trashAndRestoreAsImmichDoes(version: String) async throws {
        let fixture = try SandboxFixture(version: version, files: ["a.jpg", "b.jpg"])
        try await fixture.scan()
        let (a, b) = (fixture.assetId("a.jpg"), fixture.assetId("b.jpg"))

        // All-or-nothing: one foreign id refuses the lot.
        let rejected = try await fixture.call("DELETE", "/api/assets", ["ids": [.string(a), .string(UUID().uuidString.lowercased())], "force": false])
        #expect(rejected.status == 400)
        #expect(rejected.json?["message"] == "Not found or no asset.delete access")
        #expect(fixture.asset(a)["isTrashed"] == false)
        #expect(try await fixture.call("DELETE", "/api/assets", ["ids": ["not-a-uuid"]]).status == 400)
        #expect(try await fixture.call("DELETE", "/api/assets", ["force": false]).status == 400)
        #expect(try await fixture.call("DELETE", "/api/assets", ["ids": [.string(a)], "force": true]).status == 400)

        let trashed = try await fixture.call("DELETE", "/api/assets", ["ids": [.string(a)], "force": false])
        #expect(trashed.status == 204)
        #expect(fixture.asset(a)["isTrashed"] == true && fixture.asset(a)["trashedByUser"] == true && fixture.asset(a)["deletedAt"] != .null)
        #expect(fixture.asset(b)["isTrashed"] == false)
        // GET by id still answers for it; a later scan leaves it in the trash (its file is there).
        #expect(try await fixture.call("GET", "/api/assets/\(a)").json?["isTrashed"] == true)
        try await fixture.scan()
        #expect(fixture.asset(a)["isTrashed"] == true)

        let restored = try await fixture.call("POST", "/api/trash/restore/assets", ["ids": [.string(a), .string(b)]])
        #expect(restored.status == 200 && restored.json?["count"] == 1)
        #expect(fixture.asset(a)["isTrashed"] == false && fixture.asset(a)["deletedAt"] == .null)
        #expect(try await fixture.call("POST", "/api/trash/restore/assets", ["ids": [.string(a)]]).json?["count"] == 0)
    }

    @Test func unknownKeysAreRefusedUpToV2AndDroppedFromV3() async throws {
        let v2 = try SandboxFixture(version: "2.5.6", files: ["a.jpg"])
        try await v2.scan()
        #expect(try await v2.call("DELETE", "/api/assets", ["ids": [.string(v2.assetId("a.jpg"))], "permanent": true]).status == 400)
        let v3 = try SandboxFixture(version: "3.2.0", files: ["a.jpg"])
        try await v3.scan()
        #expect(try await v3.call("DELETE", "/api/assets", ["ids": [.string(v3.assetId("a.jpg"))], "permanent": true]).status == 204)
    }

    /// An offline asset (its file vanished at a scan) is not restored by the trash restore; the
    /// scan that finds its file brings it back.
    @Test func offlineAssetsComeBackWithTheScanOnly() async throws {
        let fixture = try SandboxFixture(version: "3.2.0", files: ["a.jpg"])
        try await fixture.scan()
        let a = fixture.assetId("a.jpg")
        try FileManager.default.removeItem(atPath: fixture.path("a.jpg"))
        try await fixture.scan()
        #expect(fixture.asset(a)["isTrashed"] == true && fixture.asset(a)["isOffline"] == true && fixture.asset(a)["trashedByUser"] == false)
        #expect(try await fixture.call("POST", "/api/trash/restore/assets", ["ids": [.string(a)]]).json?["count"] == 0)
        try fixture.touch("a.jpg")
        try await fixture.scan()
        #expect(fixture.asset(a)["isTrashed"] == false && fixture.asset(a)["isOffline"] == false)
    }

    @Test(arguments: ["2.5.6", "3.2.0"])
    func searchesSeeTrashedAssetsOnlyWhenAsked(version: String) async throws {
        let fixture = try SandboxFixture(version: version, files: ["a.jpg", "b.jpg"])
        try await fixture.scan()
        let a = fixture.assetId("a.jpg")
        #expect(try await fixture.call("DELETE", "/api/assets", ["ids": [.string(a)], "force": false]).status == 204)
        let path = fixture.path("a.jpg")
        #expect(try await fixture.search(["originalPath": .string(path)]).isEmpty)
        #expect(try await fixture.search(["originalPath": .string(path), "withDeleted": true]).count == 1)
        if version == "3.2.0" {
            let paths: SandboxJSON = ["in": [.string(path), .string(fixture.path("b.jpg"))]]
            #expect(try await fixture.search(["filter": ["originalPath": paths]]).count == 2)
            #expect(try await fixture.search(["filter": ["originalPath": paths, "trashedAt": ["eq": .null]]]).count == 1)
            let onlyTrashed = try await fixture.search(["filter": ["originalPath": paths, "trashedAt": ["ne": .null]]])
            #expect(onlyTrashed.map { $0["id"]?.stringValue } == [a])
        }
    }
}
