import Foundation
import Sandbox
import Shared
import Testing

/// Issue 15 end to end: `icloudpd --plugin immich` against both sandbox servers. iCloud albums
/// become Immich albums (`{album}`); after a photo joins an album, one leaves, an album is
/// deleted, a favourite is removed and a photo is deleted, one change run makes Immich match
/// with the three mirror flags, and changes none of those without them.
@Suite(.serialized) struct ICloudMirrorEndToEndTests {
    /// 24 photos; 5 albums, one in a folder, photo 3 in two:
    /// Trip {0,1,2}, Family/Kids {3,4}, Pets {3,5}, Food {6,7}, Garden {8}.
    final class World: @unchecked Sendable {
        // @unchecked: used from one test at a time.
        let icloud: ICloudPDDownloadFixture
        let immich: SandboxImmich
        var trip = "", food = ""

        init(version: String) throws {
            var trip = "", food = ""
            icloud = try ICloudPDDownloadFixture(photos: 24) { config in
                config.library.importableNames = true
                config.library.albums = []
                trip = config.library.createAlbum("Trip", members: [0, 1, 2])
                let family = config.library.createFolder("Family")
                config.library.createAlbum("Kids", in: family, members: [3, 4])
                config.library.createAlbum("Pets", members: [3, 5])
                food = config.library.createAlbum("Food", members: [6, 7])
                config.library.createAlbum("Garden", members: [8])
                config.library.setFavorite(10, true)
            }
            immich = try SandboxImmich.started(importPath: icloud.root, version: version, scanDurationMs: 30) { $0.autoLinkLivePhotos = true }
            self.trip = trip
            self.food = food
        }

        deinit { immich.stop() }

        func run(_ extra: [String]) async throws -> ToolRunner.Result {
            let arguments = ["--folder-structure", "none", "--plugin", "immich", "--immich-server-url", immich.baseURL,
                             "--immich-library-id", immich.libraryId, "--immich-poll-interval", "0.05",
                             "--immich-batch-log-file", icloud.root + "/pending.json",
                             "--immich-album", "[original]:{album}", "--immich-favorite", "original"] + extra
            return try await icloud.run(arguments, environment: ["IMMICH_API_KEY": immich.apiKey, "HOME": icloud.root])
        }

        func state() throws -> JSON { try JSON.parse(Array(immich.stateJSON())) }

        /// The files of photo `index` by slot ("original", "live:original", …), as icloudpd recorded them.
        func files(_ index: Int) throws -> [String: String] {
            let database = try StateDatabase(path: icloud.cookieDirectory + "/dlexamplecom.PrimarySync.state.sqlite")
            let files = try database.files(of: icloud.library.photo(index: index).masterName)
            return Dictionary(files.map { ($0.slot, $0.path.hasPrefix("/") ? $0.path : icloud.directory + "/" + $0.path) }) { a, _ in a }
        }

        func original(_ index: Int) throws -> String { try #require(try files(index)["original"], "photo \(index)") }

        func originals(_ indices: [Int]) throws -> Set<String> { Set(try indices.map(original)) }

        /// Album name → member paths.
        func albums() throws -> [String: Set<String>] {
            let state = try state()
            var paths: [String: String] = [:]
            for asset in state["assets"]?.arrayValue ?? [] {
                if let id = asset["id"]?.stringValue, let path = asset["originalPath"]?.stringValue { paths[id] = path }
            }
            var albums: [String: Set<String>] = [:]
            for album in state["albums"]?.arrayValue ?? [] {
                let members = (album["assetIds"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { paths[$0] } }
                albums[album["albumName"]!.stringValue!, default: []].formUnion(members)
            }
            return albums
        }

        func assets(where test: (JSON) -> Bool) throws -> Set<String> {
            Set((try state()["assets"]?.arrayValue ?? []).filter(test).compactMap { $0["originalPath"]?.stringValue })
        }

        func assetId(_ path: String) throws -> String {
            try #require((try state()["assets"]?.arrayValue ?? []).first { $0["originalPath"]?.stringValue == path }?["id"]?.stringValue)
        }

        func mutatingCalls() -> [String: Int] {
            immich.requestCounts().filter {
                ($0.key.hasPrefix("POST") || $0.key.hasPrefix("PUT") || $0.key.hasPrefix("DELETE")) && !$0.key.contains("/search/")
            }
        }

        func changeRequests() -> (zone: Int, listing: Int) {
            (icloud.count("POST /database/1/com.apple.photos.cloud/production/private/changes/zone"),
             icloud.count("POST /database/1/com.apple.photos.cloud/production/private/records/query"))
        }
    }

    /// The favourite whose mark the change run removes: one outside every album change.
    static func favourite(_ world: World) -> Int { 10 }

    /// First run; then, made by hand in Immich, the album "Mine" with photos 0 and 6 (both leave
    /// their rule albums in iCloud). Returns Immich's albums after both.
    static func firstRun(_ world: World) async throws -> [String: Set<String>] {
        let first = try await world.run([])
        #expect(first.status == 0, "\(first.stderr)")
        let albums = try world.albums()
        #expect(albums == [
            "Trip": try world.originals([0, 1, 2]), "Family/Kids": try world.originals([3, 4]), "Pets": try world.originals([3, 5]),
            "Food": try world.originals([6, 7]), "Garden": try world.originals([8]),
        ])
        let client = try await ImmichClient.connect(serverURL: world.immich.baseURL, apiKey: world.immich.apiKey)
        let mine = [try world.assetId(try world.original(0)), try world.assetId(try world.original(6))]
        try await client.call("POST", "/albums", body: ["albumName": "Mine", "assetIds": .array(mine.map(JSON.string))])
        #expect(try world.assets { $0["isFavorite"] == true }.contains(try world.original(favourite(world))))
        return try world.albums()
    }

    /// In iCloud: 9 joins Trip, 0 leaves it, Food is deleted, the favourite is removed, 1 is deleted.
    static func change(_ world: World) {
        let (trip, food, favourite) = (world.trip, world.food, favourite(world))
        world.icloud.icloud.setConfig { config in
            config.library.addToAlbum(9, trip)
            config.library.removeFromAlbum(0, trip)
            config.library.deleteAlbum(food)
            config.library.setFavorite(favourite, false)
            config.library.delete(1)
        }
        world.icloud.icloud.resetCounts()
        world.immich.resetCounts()
    }

    @Test(arguments: ["2.5.6", "3.2.0"])
    func mirrorFlagsMakeImmichMatchICloudInOneChangeRun(version: String) async throws {
        let world = try World(version: version)
        var expected = try await Self.firstRun(world)
        let favourite = try world.original(Self.favourite(world))
        let deleted = Set(try world.files(1).values)
        Self.change(world)

        let mirrored = try await world.run(["--immich-album-mirror", "--immich-favorite-mirror", "--immich-delete-removed", "--auto-delete"])
        #expect(mirrored.status == 0, "\(mirrored.stderr)")
        // One change request; the two queries are --auto-delete's look at Recently Deleted (a
        // page and the empty one after it), as icloudpd makes them on every run.
        #expect(world.changeRequests() == (zone: 1, listing: 2), "one change request, no listing")
        expected["Trip"] = try world.originals([2, 9])
        expected["Food"] = []  // emptied of what the rule added; the album itself stays
        #expect(try world.albums() == expected)
        #expect(try world.assets { $0["isFavorite"] == true }.contains(favourite) == false)
        #expect(try world.assets { $0["isTrashed"] == true } == deleted, "exactly the deleted photo's files")
        #expect(deleted.allSatisfy { !FileManager.default.fileExists(atPath: $0) }, "--auto-delete removes the local files")
        let summary = try #require(mirrored.stdout.split(separator: "\n").compactMap { try? JSON.parse(Array($0.utf8)) }
            .first { $0["type"] == "summary" }, "\(mirrored.stdout)")
        // Removals: 0 and the deleted 1 from Trip, 6 and 7 from Food.
        #expect(summary["steps"]?["immich-album"]?["albumRemovals"] == 4 && summary["steps"]?["immich-album"]?["albumAdds"] == 1)
        #expect(summary["steps"]?["immich-fav"]?["unfavorites"] == 1)
        #expect(summary["steps"]?["immich-trash"]?["trashed"] == .int(deleted.count))
        #expect(summary["deleted"] == 1 && summary["errors"] == 0 && summary["pending"] == 0, "\(summary.serialized)")
        #expect(mirrored.stderr.contains("4 album removal(s)") && mirrored.stderr.contains("1 unfavourite(s)"))

        // Nothing changed in iCloud since: a change run, then a full listing through every step,
        // make no mutating Immich request (the listing's exact twins, photos 14 and 15, share one
        // file; only 14 is a favourite, and the mirror must not unmark their file).
        world.icloud.icloud.resetCounts()
        world.immich.resetCounts()
        let flags = ["--immich-album-mirror", "--immich-favorite-mirror", "--immich-delete-removed", "--auto-delete"]
        let third = try await world.run(flags)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(world.mutatingCalls() == [:], "\(world.mutatingCalls())")
        let full = try await world.run(flags + ["--full-listing", "--immich-process-existing"])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(world.mutatingCalls() == [:], "\(world.mutatingCalls())")
        #expect(try world.albums() == expected)
    }

    @Test(arguments: ["2.5.6", "3.2.0"])
    func withoutTheFlagsNothingIsRemovedUnmarkedOrTrashed(version: String) async throws {
        let world = try World(version: version)
        var expected = try await Self.firstRun(world)
        let favourite = try world.original(Self.favourite(world))
        Self.change(world)

        let plain = try await world.run([])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(world.changeRequests() == (zone: 1, listing: 0))
        // Adding follows iCloud (9 joined Trip); nothing else moves.
        expected["Trip"] = try world.originals([0, 1, 2, 9])
        #expect(try world.albums() == expected)
        #expect(try world.assets { $0["isFavorite"] == true }.contains(favourite))
        #expect(try world.assets { $0["isTrashed"] == true }.isEmpty)
        #expect(world.mutatingCalls().keys.allSatisfy { $0.hasPrefix("PUT /api/albums/") }, "\(world.mutatingCalls())")
    }
}
