import Foundation
@testable import Shared
import Testing

/// Routing of downloader records, the icloudpd Immich plugin's Directory Validation, and how a pipeline's exit
/// statuses become the wrapper's result.
@Suite struct ImmichPluginRoutingTests {
    static func record(_ statuses: [String], favorite: Bool, live: String? = nil) -> PhotoRecord {
        var files = JSONObject()
        for (index, status) in statuses.enumerated() {
            files[PhotoRecord.stillSizes[index]] = ["path": .string("/p/\(index).JPG"), "status": .string(status)]
        }
        var object: JSONObject = ["type": "photo", "id": "X", "favorite": .bool(favorite), "files": .object(files)]
        if let live { object["live"] = ["original": ["path": "/p/v.MOV", "status": .string(live)]] }
        return PhotoRecord(object)
    }

    @Test func newPhotosAlwaysGetTheFullPipeline() {
        for existing in [ImmichPluginSettings.ExistingPhotos.skip, .process, .favoritesOnly] {
            let router = RecordRouter(existing: existing, favoritesStep: true)
            #expect(router.route(Self.record(["downloaded"], favorite: false)) == .full)
            #expect(router.route(Self.record(["existing", "downloaded"], favorite: true)) == .full)
            #expect(router.route(Self.record(["existing"], favorite: false, live: "downloaded")) == .full)
            #expect(router.route(Self.record(["would-download"], favorite: false)) == .full)
            #expect(router.routed(Self.record(["downloaded"], favorite: true))?.object["steps"] == nil)
        }
    }

    @Test func existingPhotos() {
        let existing = Self.record(["existing", "existing"], favorite: false)
        let favourite = Self.record(["existing", "existing"], favorite: true, live: "existing")
        #expect(RecordRouter(existing: .skip, favoritesStep: true).route(favourite) == .skip)
        #expect(RecordRouter(existing: .process, favoritesStep: false).route(existing) == .full)
        let favouritesOnly = RecordRouter(existing: .favoritesOnly, favoritesStep: true)
        #expect(favouritesOnly.route(existing) == .skip)
        let routed = favouritesOnly.routed(favourite)
        #expect(routed?.object["steps"] == ["scan", "fav"])
        #expect(routed?.wantsStep("scan") == true && routed?.wantsStep("fav") == true)
        #expect(routed?.wantsStep("stack") == false && routed?.wantsStep("album") == false)
        // Without a favourite step, a favourites-only record would only cost a lookup.
        #expect(RecordRouter(existing: .favoritesOnly, favoritesStep: false).route(favourite) == .skip)
        #expect(RecordRouter(existing: .process, favoritesStep: true).route(PhotoRecord(["type": "photo", "id": "E"])) == .skip)
        // A deletion record lists its files as deleted: it stays out.
        var deleted = Self.record(["deleted"], favorite: true)
        deleted.object["deleted"] = true
        for existing in [ImmichPluginSettings.ExistingPhotos.skip, .process, .favoritesOnly] {
            #expect(RecordRouter(existing: existing, favoritesStep: true).route(deleted) == .skip)
        }
    }

    @Test func existingPhotosWhoseAlbumsChangedStillReachTheAlbumStep() {
        var moved = Self.record(["existing"], favorite: true)
        moved.object["changed"] = ["albums"]
        moved.object["albums"] = ["Trip"]
        var deleted = Self.record(["deleted"], favorite: false)
        deleted.object["deleted"] = true
        deleted.object["changed"] = ["deleted"]
        deleted.object["albums"] = []
        let albums = RecordRouter(existing: .skip, favoritesStep: true, albumStep: true)
        #expect(albums.routed(moved)?.object["steps"] == ["scan", "album"])
        #expect(albums.route(deleted) == .skip)
        let mirror = RecordRouter(existing: .skip, favoritesStep: false, albumStep: true, albumMirror: true)
        #expect(mirror.routed(deleted)?.object["steps"] == ["scan", "album"])
        #expect(RecordRouter(existing: .favoritesOnly, favoritesStep: true, albumStep: true).routed(moved)?.object["steps"] == ["scan", "fav", "album"])
        #expect(RecordRouter(existing: .skip, favoritesStep: true).route(moved) == .skip)
        #expect(RecordRouter(existing: .process, favoritesStep: true, albumStep: true).route(moved) == .full)
        // Date-only rules do not depend on iCloud albums: an album change leaves them nothing to do.
        #expect(RecordRouter(existing: .skip, favoritesStep: true, albumStep: true, followsICloudAlbums: false).route(moved) == .skip)
        #expect(RecordRouter(existing: .skip, favoritesStep: true, albumStep: true, albumMirror: true, followsICloudAlbums: false)
                    .route(deleted) == .steps([.scan, .album]), "a deleted photo leaves date albums too")
    }

    @Test func mirroringOptionsRouteExactlyTheChangesTheyFollow() {
        var unfavourited = Self.record(["existing"], favorite: false)
        unfavourited.object["changed"] = ["favorite"]
        var deleted = Self.record(["deleted"], favorite: true)
        deleted.object["deleted"] = true
        deleted.object["changed"] = ["deleted"]
        deleted.object["albums"] = []
        var restored = Self.record(["existing"], favorite: false)
        restored.object["changed"] = ["restored", "albums"]
        restored.object["albums"] = ["Trip"]
        let plain = RecordRouter(existing: .favoritesOnly, favoritesStep: true, albumStep: true)
        #expect(plain.route(unfavourited) == .skip)
        #expect(plain.route(deleted) == .skip)
        #expect(plain.route(restored) == .steps([.scan, .album]))
        let mirror = RecordRouter(existing: .favoritesOnly, favoritesStep: true, favoriteMirror: true, albumStep: true,
                                  albumMirror: true, trashStep: true)
        #expect(mirror.route(unfavourited) == .steps([.scan, .fav]))
        #expect(mirror.route(deleted) == .steps([.scan, .album, .trash]), "a deleted favourite is not re-marked")
        #expect(mirror.route(restored) == .steps([.scan, .album, .trash]))
        #expect(RecordRouter(existing: .process, favoritesStep: true, trashStep: true).route(deleted) == .steps([.scan, .trash]))
        // A mirror without its step follows nothing.
        #expect(RecordRouter(existing: .skip, favoritesStep: false, favoriteMirror: true, albumMirror: true).route(unfavourited) == .skip)
    }

    /// The plugin README's example: import path /mnt/photos.
    @Test func seedDirectoryValidationExample() {
        let none = PathMapping(rules: [])
        let valid = DirectoryCheck(directory: "/mnt/photos/icloud", importPaths: ["/mnt/photos"], mapping: none, workingDirectory: "/")
        #expect(valid.isValid && valid.importPath == "/mnt/photos")
        #expect(valid.line == "Directory validation: /mnt/photos/icloud ✓ inside import path /mnt/photos")
        let invalid = DirectoryCheck(directory: "/home/user/downloads", importPaths: ["/mnt/photos"], mapping: none, workingDirectory: "/")
        #expect(!invalid.isValid)
        #expect(invalid.line == "Directory validation: /home/user/downloads ✗ not inside any import path (/mnt/photos)")
    }

    @Test(arguments: [
        ("/mnt/photos", true), ("/mnt/photos/", true), ("/mnt/photos2", false), ("/mnt/photo", false),
        ("/mnt/photos/%Y/%m", true), ("/mnt/./photos/x/..", true), ("/mnt/photos/../other", false),
    ])
    func directoryNormalisation(_ directory: String, _ valid: Bool) {
        #expect(DirectoryCheck(directory: directory, importPaths: ["/mnt/photos"], mapping: PathMapping(rules: []), workingDirectory: "/").isValid == valid)
    }

    @Test func directoryAfterPathMapAndRelative() throws {
        let mapping = try PathMapping(arguments: ["/home/me/photos=/data/photos"])
        let check = DirectoryCheck(directory: "/home/me/photos/icloud", importPaths: ["/data/photos"], mapping: mapping, workingDirectory: "/")
        #expect(check.isValid && check.serverPath == "/data/photos/icloud")
        #expect(check.line.contains("(/data/photos/icloud for Immich) ✓"))
        #expect(DirectoryCheck(directory: "icloud", importPaths: ["/mnt/photos"], mapping: PathMapping(rules: []), workingDirectory: "/mnt/photos").isValid)
    }

    @Test func firstFailingStage() {
        typealias Exit = ChildPipeline.Exit
        #expect(ChildPipeline.firstFailure([Exit(stage: "a", status: 0, signaled: false), Exit(stage: "b", status: 5, signaled: false)]) == nil)
        // Upstream killed by SIGPIPE after the real failure downstream: the downstream one is reported.
        let failure = ChildPipeline.firstFailure([Exit(stage: "immich-batch", status: SIGPIPE, signaled: true),
                                                  Exit(stage: "immich-scan", status: 3, signaled: false, lastError: "Immich rejected the API key"),
                                                  Exit(stage: "immich-batch", status: 0, signaled: false)])
        #expect(failure?.stage == "immich-scan")
        let error = ImmichPluginRun.error(failure!)
        #expect(error.code == .authentication)
        #expect(error.message.hasPrefix("immich-scan failed (exit 3): Immich rejected the API key"))
        #expect(ImmichPluginRun.error(Exit(stage: "immich-stack", status: SIGKILL, signaled: true)).code == .runtime)
        #expect(ChildPipeline.parseLogLine("immich-scan: error: boom", program: "immich-scan") == (.error, "boom"))
        #expect(ChildPipeline.parseLogLine("immich-scan: 3 records", program: "immich-scan") == (.info, "3 records"))
    }
}
