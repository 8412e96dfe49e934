import Foundation
import Testing
import Sandbox

@Suite struct ScanTests {
    @Test func scanIsAsynchronousAndWalksTheDisk() async throws {
        let fixture = try SandboxFixture(files: ["2024/01/IMG_1.HEIC", "2024/01/IMG_1.MOV", "2024/02/b.jpg", "notes.txt",
                                                  ".hidden.jpg", ".trash/c.jpg", "2024/@eaDir/thumb.jpg"]) { $0.holdScans = true }
        let lib = fixture.immich.libraryId
        let reply = try await fixture.call("POST", "/api/libraries/\(lib)/scan")
        #expect(reply.status == 204)
        #expect(reply.body.isEmpty)
        // Checked in-process: an HTTP search could itself take seconds on a loaded machine.
        let stateRightAfter = try JSONSerialization.jsonObject(with: fixture.immich.stateJSON()) as? [String: Any]
        #expect((stateRightAfter?["assets"] as? [Any])?.isEmpty == true, "the scan must not have run yet")
        fixture.immich.setConfig { $0.holdScans = false }
        #expect(await fixture.immich.idle(timeout: 15))
        #expect(fixture.immich.scanCount == 1)

        let items = try await fixture.search(["libraryId": .string(lib), "size": 1000])
        let paths = Set(items.compactMap { $0["originalPath"]?.stringValue })
        #expect(paths == [fixture.path("2024/01/IMG_1.HEIC"), fixture.path("2024/01/IMG_1.MOV"), fixture.path("2024/02/b.jpg")])
        let movie = items.first { $0["originalFileName"] == "IMG_1.MOV" }
        #expect(movie?["type"] == "VIDEO")
        #expect(movie?["visibility"] == "timeline")
        #expect(movie?["ownerId"]?.stringValue == fixture.immich.userId)

        // The checksum is sha1("path:" + path), so an exact lookup works.
        let checksum = movie!["checksum"]!.stringValue!
        let byChecksum = try await fixture.search(["checksum": .string(checksum)])
        #expect(byChecksum.count == 1)

        // A rescan adds only new files; a vanished file goes offline and to the trash, and comes back.
        try FileManager.default.removeItem(atPath: fixture.path("2024/02/b.jpg"))
        try fixture.touch("2024/03/new.png")
        try await fixture.scan()
        let bId = fixture.assetId("2024/02/b.jpg")
        #expect(fixture.asset(bId)["isTrashed"] == true)
        #expect(fixture.asset(bId)["isOffline"] == true)
        #expect(try await fixture.search(["libraryId": .string(lib)]).count == 3)
        #expect(try await fixture.search(["isOffline": true]).count == 1)
        try fixture.touch("2024/02/b.jpg")
        try await fixture.scan()
        #expect(fixture.asset(bId)["isTrashed"] == false)
        #expect(fixture.immich.scanCount == 3)

        let stats = try await fixture.call("GET", "/api/libraries/\(lib)/statistics")
        #expect(stats.json?["total"] == 4)
        #expect(stats.json?["videos"] == 1)
    }

    @Test func autoLinkLivePhotosHidesTheVideo() async throws {
        let fixture = try SandboxFixture(files: ["a/IMG_7.HEIC", "a/img_7.mov", "b/IMG_7.MOV"]) { $0.autoLinkLivePhotos = true }
        try await fixture.scan()
        let still = fixture.asset(fixture.assetId("a/IMG_7.HEIC"))
        #expect(still["livePhotoVideoId"]?.stringValue == fixture.assetId("a/img_7.mov"))
        #expect(fixture.asset(fixture.assetId("a/img_7.mov"))["visibility"] == "hidden")
        #expect(fixture.asset(fixture.assetId("b/IMG_7.MOV"))["visibility"] == "timeline")
    }

    @Test func queuedScansRunOneAfterAnother() async throws {
        let fixture = try SandboxFixture(files: ["x.jpg"]) { $0.holdScans = true }
        for _ in 0..<3 {
            #expect(try await fixture.call("POST", "/api/libraries/\(fixture.immich.libraryId)/scan").status == 204)
        }
        #expect(fixture.immich.scanCount == 3)
        let idle = try await fixture.call("GET", "/_sandbox/idle", key: nil)
        #expect(idle.json == ["idle": false])
        fixture.immich.setConfig { $0.holdScans = false }
        #expect(await fixture.immich.idle(timeout: 15))
        #expect(try await fixture.search([:]).count == 1)
    }
}
