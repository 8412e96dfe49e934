import Foundation
import Shared
import Testing

/// The incremental sync's SQLite state: round trips, schema version, transactions.
@Suite struct StateDatabaseTests {
    static func temporaryPath() -> String { NSTemporaryDirectory() + "state-" + UUID().uuidString + "/state.sqlite" }

    @Test func assetsFilesAndTokensRoundTrip() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let db = try StateDatabase(path: path)
        let asset = StateDatabase.Asset(id: "M1", assetName: "S1", favorite: true, adjustment: "", master: #"{"recordName":"M1"}"#)
        try db.save(asset, files: [.init(slot: "original", path: "/p/IMG_1.JPG", size: 10, status: "downloaded")])
        try db.commitTokens(zone: "PrimarySync", zoneToken: "Z2", databaseToken: "D2", fingerprint: "fp")
        let reopened = try StateDatabase(path: path)
        #expect(try reopened.asset(named: "S1") == asset)
        #expect(try reopened.asset(named: "M1") == asset)
        #expect(try reopened.files(of: "M1").map(\.path) == ["/p/IMG_1.JPG"])
        #expect(try reopened.zoneToken("PrimarySync") == "Z2")
        #expect(try reopened.meta("database_token") == "D2")
        #expect(try reopened.meta("fingerprint") == "fp")
        try reopened.markDeleted("M1")
        #expect(try reopened.asset(named: "M1")?.deleted == true)
    }

    @Test func aNewerSchemaIsRefusedWithAClearMessage() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        _ = try StateDatabase(path: path)
        try SQLiteConnection(path: path).execute("PRAGMA user_version = \(StateDatabase.schemaVersion + 1)")
        #expect { try StateDatabase(path: path) } throws: { error in
            (error as? ToolError)?.message.contains("newer than this icloudpd understands") == true
        }
    }

    @Test func aFailedTransactionLeavesNothingBehind() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let db = try StateDatabase(path: path)
        #expect(throws: ToolError.self) {
            try db.transaction { connection throws(ToolError) in
                try connection.query("INSERT INTO meta(key, value) VALUES('a', 'b')")
                throw ToolError.runtime("interrupted")
            }
        }
        #expect(try db.meta("a") == nil)
    }

    /// The schema icloudpd wrote before albums (version 1), exactly.
    static let schemaOne = """
        PRAGMA journal_mode=WAL;
        BEGIN IMMEDIATE;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS zones (name TEXT PRIMARY KEY, token TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS assets (
            id TEXT PRIMARY KEY, asset_name TEXT NOT NULL, favorite INTEGER NOT NULL,
            adjustment TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, master TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS assets_by_asset_name ON assets(asset_name);
        CREATE TABLE IF NOT EXISTS files (
            asset_id TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE, slot TEXT NOT NULL,
            path TEXT NOT NULL, size INTEGER NOT NULL, status TEXT NOT NULL, PRIMARY KEY (asset_id, slot));
        INSERT INTO assets VALUES ('M1', 'S1', 1, '', 0, '{"recordName":"M1"}');
        INSERT INTO files VALUES ('M1', 'original', '/p/IMG_1.JPG', 10, 'present');
        INSERT INTO zones VALUES ('PrimarySync', 'Z7');
        INSERT INTO meta VALUES ('fingerprint', 'fp');
        PRAGMA user_version = 1;
        COMMIT;
        """

    @Test func aSchemaOneFileIsMigratedKeepingEverything() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try SQLiteConnection(path: path).execute(Self.schemaOne)
        let db = try StateDatabase(path: path)
        #expect(try SQLiteConnection(path: path).query("PRAGMA user_version").first?.first?.integer == 2)
        #expect(try db.asset(named: "S1") == StateDatabase.Asset(id: "M1", assetName: "S1", favorite: true, adjustment: "",
                                                                  master: #"{"recordName":"M1"}"#, asset: ""))
        #expect(try db.files(of: "M1").map(\.path) == ["/p/IMG_1.JPG"])
        #expect(try db.zoneToken("PrimarySync") == "Z7")
        #expect(try db.meta("fingerprint") == "fp")
        #expect(try !db.albumsKnown(), "memberships are unknown until a listing reads them")
        #expect(try db.albumCatalog() == AlbumCatalog())
        // The new tables work, and opening again migrates nothing twice.
        try db.save(StateDatabase.Asset(id: "M1", assetName: "S1", favorite: true, adjustment: "", master: "{}", asset: "{}"),
                    files: [], albums: ["AL1"])
        let again = try StateDatabase(path: path)
        #expect(try again.albumIDs(ofItem: "S1") == ["AL1"])
        #expect(try again.asset(named: "M1")?.asset == "{}")
    }

    @Test func albumsAndMembershipsRoundTrip() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let db = try StateDatabase(path: path)
        var catalog = AlbumCatalog()
        catalog.set("F1", .init(name: "Family", parent: nil, isFolder: true))
        catalog.set("F2", .init(name: "2024", parent: "F1", isFolder: true))
        catalog.set("A1", .init(name: "Kids", parent: "F2", isFolder: false))
        catalog.set("A2", .init(name: "Trips", parent: nil, isFolder: false))
        try db.replaceAlbums(AlbumMemberships(catalog: catalog, members: ["S1": ["A1", "A2"], "S2": ["A2"]]))
        #expect(try db.albumsKnown())
        let stored = try db.albumCatalog()
        #expect(stored == catalog)
        #expect(stored.names(try db.albumIDs(ofItem: "S1")) == ["Family/2024/Kids", "Trips"])
        #expect(try db.items(inAlbums: ["A2"]) == ["S1", "S2"])
        catalog.remove("F1")
        try db.applyAlbumChanges(catalog: catalog, joined: ["S3": ["A2"]], left: ["S1": ["A1"]])
        #expect(try db.albumCatalog().entries.keys.sorted() == ["A2"])
        #expect(try db.albumIDs(ofItem: "S1") == ["A2"])
        #expect(try db.items(inAlbums: ["A2"]) == ["S1", "S2", "S3"])
        try db.forgetAlbums()
        #expect(try !db.albumsKnown())
    }
}
