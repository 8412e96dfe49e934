import Foundation
import Sandbox
import Shared
import Testing

/// icloudpd's `albums` in records (issue #15): a full listing reads every user album's members
/// (folders walked), a change run follows the album and membership records of the change feed
/// with no extra request, and the state database keeps memberships between runs.
@Suite struct ICloudPDAlbumTests {
    /// Record names of the test library's albums and folders.
    struct Albums {
        var trips = "", family = "", kids = "", pets = "", summer = "", archive = "", year = "", work = ""
    }

    /// 24 photos; 5 albums, two of them in folders (one nested two deep), photo 3 in two albums:
    /// Trips {1,2,3}, Family/Kids {3,4}, Pets {5}, Été à Paris {6,7}, Archive/2020/Work {8}.
    static func fixture() throws -> (ICloudPDDownloadFixture, Albums) {
        var albums = Albums()
        let f = try ICloudPDDownloadFixture(photos: 24) { config in
            config.library.albums = []
            albums.trips = config.library.createAlbum("Trips", members: [1, 2, 3])
            albums.family = config.library.createFolder("Family")
            albums.kids = config.library.createAlbum("Kids", in: albums.family, members: [3, 4])
            albums.pets = config.library.createAlbum("Pets", members: [5])
            albums.summer = config.library.createAlbum("Été à Paris", members: [6, 7])
            albums.archive = config.library.createFolder("Archive")
            albums.year = config.library.createFolder("2020", in: albums.archive)
            albums.work = config.library.createAlbum("Work", in: albums.year, members: [8])
        }
        return (f, albums)
    }

    static let firstAlbums: [Int: [String]] = [
        1: ["Trips"], 2: ["Trips"], 3: ["Family/Kids", "Trips"], 4: ["Family/Kids"], 5: ["Pets"],
        6: ["Été à Paris"], 7: ["Été à Paris"], 8: ["Archive/2020/Work"],
    ]

    static func byID(_ records: [JSON]) -> [String: JSON] {
        Dictionary(records.map { ($0["id"]?.stringValue ?? "", $0) }) { a, _ in a }
    }

    static func albums(_ record: JSON?) -> [String]? { record?["albums"]?.arrayValue?.compactMap(\.stringValue) }
    static func changed(_ record: JSON?) -> [String] { (record?["changed"]?.arrayValue ?? []).compactMap(\.stringValue) }

    static func cloudKit(_ f: ICloudPDDownloadFixture) -> [String: Int] {
        f.icloud.requestCounts().filter { $0.key.contains("/database/1/") }
    }

    @Test func aFullListingGivesEveryRecordItsAlbums() async throws {
        let (f, _) = try Self.fixture()
        let first = try await f.run(["--records"])
        #expect(first.status == 0, "\(first.stderr)")
        let records = Self.byID(try f.records(first.stdout))
        #expect(records.count == 24)
        for index in 0..<24 {
            let record = records[f.library.photo(index: index).masterName]
            #expect(Self.albums(record) == Self.firstAlbums[index] ?? [], "photo \(index)")
        }
        // Queries: indexing, top level, the three folders, the photo pages (one and the empty one),
        // each album's members (one page and the empty one).
        #expect(f.count("POST /database/1/com.apple.photos.cloud/production/private/records/query") == 1 + 1 + 3 + 2 + 5 * 2)
    }

    @Test func aChangeRunFollowsJoinsLeavesRenamesAndDeletionsWithOneChangeRequest() async throws {
        let (f, albums) = try Self.fixture()
        let first = try await f.run(["--records"])
        #expect(first.status == 0, "\(first.stderr)")
        let firstRecords = Self.byID(try f.records(first.stdout))
        func id(_ i: Int) -> String { f.library.photo(index: i).masterName }

        f.icloud.setConfig { config in
            config.library.addToAlbum(9, albums.pets)             // 9 joins Pets
            config.library.removeFromAlbum(1, albums.trips)       // 1 leaves Trips
            config.library.renameAlbum(albums.pets, to: "Animals")
            config.library.renameAlbum(albums.family, to: "Family 2024")  // a folder: Kids' path changes
            config.library.deleteAlbum(albums.summer)             // deleted in Photos (isDeleted)
            config.library.deleteAlbum(albums.archive, purge: true)  // a folder and what it holds, tombstones
            config.library.createAlbum("New", in: albums.family, members: [10])  // a new album in a folder
            config.library.setFavorite(4, true)                   // favourite and album change together
            config.library.delete(2)                              // to Recently Deleted
        }
        f.icloud.resetCounts()
        let second = try await f.run(["--records"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(Self.cloudKit(f) == ["POST /database/1/com.apple.photos.cloud/production/private/changes/database": 1,
                                     "POST /database/1/com.apple.photos.cloud/production/private/changes/zone": 1],
                "one change request, no listing: \(f.icloud.requestCounts())")
        #expect(f.count("GET /content") == 0)
        let records = Self.byID(try f.records(second.stdout))
        let expected: [Int: (changed: [String], albums: [String])] = [
            1: (["albums"], []), 9: (["albums"], ["Animals"]), 5: (["albums"], ["Animals"]),
            3: (["albums"], ["Family 2024/Kids", "Trips"]), 4: (["favorite", "albums"], ["Family 2024/Kids"]),
            6: (["albums"], []), 7: (["albums"], []), 8: (["albums"], []), 2: (["deleted"], []),
            10: (["albums"], ["Family 2024/New"]),
        ]
        #expect(Set(records.keys) == Set(expected.keys.map(id)), "\(second.stdout)")
        for (index, want) in expected {
            let record = records[id(index)]
            #expect(Self.changed(record) == want.changed, "photo \(index): \(record?.serialized ?? "none")")
            #expect(Self.albums(record) == want.albums, "photo \(index)")
        }
        // Album-only changes: the first run's files, every one existing.
        for index in [1, 9, 5, 3, 6, 7, 8, 10] {
            let record = records[id(index)], before = firstRecords[id(index)]
            #expect(record?["files"]?["original"]?["path"] == before?["files"]?["original"]?["path"], "photo \(index)")
            for (_, file) in record?["files"]?.objectValue ?? [:] { #expect(file["status"]?.stringValue == "existing") }
            #expect(record?["created"] == before?["created"])
        }
        // The deleted photo's record lists the files the first run wrote, as deleted.
        let deleted = try #require(records[id(2)])
        #expect(deleted["deleted"]?.boolValue == true)
        let wrote = try #require(firstRecords[id(2)]?["files"]?.objectValue)
        let listed = try #require(deleted["files"]?.objectValue)
        #expect(Set(listed.keys) == Set(wrote.keys))
        for (size, file) in listed {
            #expect(file["status"]?.stringValue == "deleted")
            #expect(file["path"] == wrote[size]?["path"])
        }

        // Nothing more changed: nothing to say. Then a full listing agrees with what the change run kept.
        f.icloud.resetCounts()
        let third = try await f.run(["--records"])
        #expect(third.status == 0 && third.stdout.isEmpty, "\(third.stdout)\(third.stderr)")
        let state = try StateDatabase(path: f.cookieDirectory + "/dlexamplecom.PrimarySync.state.sqlite")
        func names() throws -> [String: [String]] {
            let catalog = try state.albumCatalog()
            return Dictionary(uniqueKeysWithValues: try state.liveAssets().map { ($0.id, catalog.names(try state.albumIDs(ofItem: $0.assetName))) })
        }
        let kept = try names()
        let full = try await f.run(["--records", "--full-listing"])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(try names() == kept)
        let listedAgain = Self.byID(try f.records(full.stdout))
        for index in [1, 3, 4, 5, 9, 6, 8, 10] {
            #expect(Self.albums(listedAgain[id(index)]) == expected[index]?.albums, "photo \(index)")
        }
    }

    /// A state database from before albums (schema 1): the first run with records lists the
    /// library once to learn the albums, saying `albums` for the photos in one; then change runs.
    @Test func aStateDatabaseFromBeforeAlbumsLearnsThemOnce() async throws {
        let (f, albums) = try Self.fixture()
        #expect(try await f.run([]).status == 0)
        let path = f.cookieDirectory + "/dlexamplecom.PrimarySync.state.sqlite"
        // Back to schema 1, as the previous icloudpd left it.
        try SQLiteConnection(path: path).execute("""
            BEGIN IMMEDIATE; DROP TABLE albums; DROP TABLE memberships; ALTER TABLE assets DROP COLUMN asset;
            DELETE FROM meta WHERE key = 'albums'; PRAGMA user_version = 1; COMMIT;
            """)
        f.icloud.resetCounts()
        let upgrade = try await f.run(["--records"])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect((upgrade.stdout + upgrade.stderr).contains("does not know the albums yet"))
        #expect(f.count("GET /content") == 0)
        let records = Self.byID(try f.records(upgrade.stdout))
        #expect(Set(records.keys) == Set(Self.firstAlbums.keys.map { f.library.photo(index: $0).masterName }))
        for (index, names) in Self.firstAlbums {
            let record = records[f.library.photo(index: index).masterName]
            #expect(Self.changed(record) == ["albums"] && Self.albums(record) == names, "photo \(index)")
        }
        f.icloud.setConfig { $0.library.addToAlbum(0, albums.trips) }
        f.icloud.resetCounts()
        let next = try await f.run(["--records"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(f.count("POST /database/1/com.apple.photos.cloud/production/private/records/query") == 0, "a change run")
        let joined = try f.records(next.stdout)
        #expect(joined.count == 1 && Self.albums(joined.first) == ["Trips"], "\(next.stdout)")
    }

    /// A change feed naming an album in a folder nobody knows cannot be placed: a full listing.
    @Test func anAlbumInAnUnknownFolderFallsBackToAListing() async throws {
        let (f, _) = try Self.fixture()
        #expect(try await f.run(["--records"]).status == 0)
        f.icloud.setConfig { config in
            let hidden = config.library.createFolder("Not in the feed")
            config.library.createAlbum("Inside", in: hidden, members: [10])
            config.library.changes.albumLog[hidden] = nil  // the feed leaves the folder out
        }
        let second = try await f.run(["--records"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("in a folder the state database does not know"), "\(second.stderr)")
        let records = Self.byID(try f.records(second.stdout))
        #expect(Self.albums(records[f.library.photo(index: 10).masterName]) == ["Not in the feed/Inside"], "\(second.stdout)")
    }
}
