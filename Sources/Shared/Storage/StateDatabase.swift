import Foundation

/// icloudpd's incremental-sync state, one SQLite file per account and library (WAL mode):
/// per asset its record names and records, favourite and edit state and the files written; the
/// user albums and folders and which photos each album holds; per zone the change token; the
/// database token; the fingerprint of the options the files depend on.
///
/// Every change is a transaction, so a `kill -9` leaves the file consistent. A zone token is
/// written only by the caller once every change up to it was handled.
public final class StateDatabase: @unchecked Sendable {
    // @unchecked: the connection is only touched under `lock`.
    /// Bumped when the schema changes; a newer file is refused, never misread, an older one
    /// migrated. 2: the CPLAsset record of each asset, albums and memberships.
    public static let schemaVersion: Int64 = 2

    /// What is known of one iCloud photo.
    public struct Asset: Sendable, Equatable {
        public var id: String            // CPLMaster recordName
        public var assetName: String     // CPLAsset recordName
        public var favorite: Bool
        /// `fileChecksum` of the adjusted render (`resJPEGFull`), "" when not edited.
        public var adjustment: String
        public var deleted: Bool
        /// The CPLMaster record as JSON: a change batch with only the CPLAsset half is paired with it.
        public var master: String
        /// The CPLAsset record as JSON ("" when saved by schema 1): a photo that only changed
        /// albums is rebuilt from both.
        public var asset: String

        public init(id: String, assetName: String, favorite: Bool, adjustment: String, deleted: Bool = false, master: String,
                    asset: String = "") {
            self.id = id
            self.assetName = assetName
            self.favorite = favorite
            self.adjustment = adjustment
            self.deleted = deleted
            self.master = master
            self.asset = asset
        }
    }

    /// One file written (or found) for an asset.
    public struct File: Sendable, Equatable {
        public var slot: String      // "original", "adjusted", "live:original", …
        public var path: String
        public var size: Int64
        public var status: String    // "present": on disk (failed photos are not saved)

        public init(slot: String, path: String, size: Int64, status: String) {
            self.slot = slot
            self.path = path
            self.size = size
            self.status = status
        }
    }

    private let connection: SQLiteConnection
    private let lock = NSLock()
    public let path: String

    public init(path: String) throws(ToolError) {
        self.path = path
        let (db, found) = try SQLiteConnection.openVersioned(path: path, schema: Self.schemaVersion) { found in
            "The state database \(path) has schema version \(found), newer than this icloudpd understands (\(Self.schemaVersion)). Use a newer icloudpd, or --state-db with another file."
        }
        try db.execute("PRAGMA foreign_keys=ON")
        if found == 0 {
            try db.execute("""
                BEGIN IMMEDIATE;
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS zones (name TEXT PRIMARY KEY, token TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS assets (
                    id TEXT PRIMARY KEY, asset_name TEXT NOT NULL, favorite INTEGER NOT NULL,
                    adjustment TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, master TEXT NOT NULL,
                    asset TEXT NOT NULL DEFAULT '');
                CREATE INDEX IF NOT EXISTS assets_by_asset_name ON assets(asset_name);
                CREATE TABLE IF NOT EXISTS files (
                    asset_id TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE, slot TEXT NOT NULL,
                    path TEXT NOT NULL, size INTEGER NOT NULL, status TEXT NOT NULL, PRIMARY KEY (asset_id, slot));
                \(Self.albumTables)
                PRAGMA user_version = \(Self.schemaVersion);
                COMMIT;
                """)
        } else if found == 1 {
            // Schema 1 (no albums): its memberships are unknown until a listing reads them.
            try db.execute("""
                BEGIN IMMEDIATE;
                ALTER TABLE assets ADD COLUMN asset TEXT NOT NULL DEFAULT '';
                \(Self.albumTables)
                PRAGMA user_version = \(Self.schemaVersion);
                COMMIT;
                """)
        }
        connection = db
    }

    /// Albums and folders (`parent`: the folder's id, NULL at the top level) and memberships,
    /// keyed by the photo's CPLAsset record name (the `itemId` of a `CPLContainerRelation`).
    static let albumTables = """
        CREATE TABLE IF NOT EXISTS albums (id TEXT PRIMARY KEY, name TEXT NOT NULL, parent TEXT, folder INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS memberships (item TEXT NOT NULL, album TEXT NOT NULL, PRIMARY KEY (item, album));
        CREATE INDEX IF NOT EXISTS memberships_by_album ON memberships(album);
        """

    /// Runs `body` in one transaction: all of it lands, or none of it.
    public func transaction<T>(_ body: (SQLiteConnection) throws(ToolError) -> T) throws(ToolError) -> T {
        lock.lock()
        defer { lock.unlock() }
        let db = connection
        return try db.transaction { () throws(ToolError) in try body(db) }
    }

    // MARK: tokens and options

    public func meta(_ key: String) throws(ToolError) -> String? {
        try transaction { db throws(ToolError) in try db.query("SELECT value FROM meta WHERE key = ?", [.text(key)]).first?.first?.text }
    }

    public func setMeta(_ key: String, _ value: String?) throws(ToolError) {
        try transaction { db throws(ToolError) in try Self.setMeta(db, key, value) }
    }

    static func setMeta(_ db: SQLiteConnection, _ key: String, _ value: String?) throws(ToolError) {
        if let value {
            try db.query("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [.text(key), .text(value)])
        } else {
            try db.query("DELETE FROM meta WHERE key = ?", [.text(key)])
        }
    }

    public func zoneToken(_ zone: String) throws(ToolError) -> String? {
        try transaction { db throws(ToolError) in try db.query("SELECT token FROM zones WHERE name = ?", [.text(zone)]).first?.first?.text }
    }

    /// Stores the zone token (and the database token and fingerprint with it) in one
    /// transaction; nil forgets the zone token.
    public func commitTokens(zone: String, zoneToken: String?, databaseToken: String?, fingerprint: String) throws(ToolError) {
        try transaction { db throws(ToolError) in
            if let zoneToken {
                try db.query("INSERT INTO zones(name, token) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET token = excluded.token",
                             [.text(zone), .text(zoneToken)])
            } else {
                try db.query("DELETE FROM zones WHERE name = ?", [.text(zone)])
            }
            try Self.setMeta(db, "database_token", databaseToken)
            try Self.setMeta(db, "fingerprint", fingerprint)
        }
    }

    // MARK: assets

    static let assetColumns = "id, asset_name, favorite, adjustment, deleted, master, asset"

    static func asset(_ row: [SQLValue]) -> Asset {
        Asset(id: row[0].text ?? "", assetName: row[1].text ?? "", favorite: row[2].integer == 1, adjustment: row[3].text ?? "",
              deleted: row[4].integer == 1, master: row[5].text ?? "", asset: row[6].text ?? "")
    }

    /// The asset whose CPLMaster or CPLAsset record has this name.
    public func asset(named name: String) throws(ToolError) -> Asset? {
        try transaction { db throws(ToolError) in
            try db.query("SELECT \(Self.assetColumns) FROM assets WHERE id = ?1 OR asset_name = ?1",
                         [.text(name)]).first.map(Self.asset)
        }
    }

    public func files(of id: String) throws(ToolError) -> [File] {
        try transaction { db throws(ToolError) in
            try db.query("SELECT slot, path, size, status FROM files WHERE asset_id = ? ORDER BY slot", [.text(id)]).map {
                File(slot: $0[0].text ?? "", path: $0[1].text ?? "", size: $0[2].integer ?? 0, status: $0[3].text ?? "")
            }
        }
    }

    /// The asset and its files (and, given, the albums holding it), replacing what was known,
    /// in one transaction.
    public func save(_ asset: Asset, files: [File], albums: Set<String>? = nil) throws(ToolError) {
        try transaction { db throws(ToolError) in
            try db.query("""
                INSERT INTO assets(id, asset_name, favorite, adjustment, deleted, master, asset) VALUES(?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET asset_name = excluded.asset_name, favorite = excluded.favorite,
                    adjustment = excluded.adjustment, deleted = excluded.deleted, master = excluded.master, asset = excluded.asset
                """, [.text(asset.id), .text(asset.assetName), .integer(asset.favorite ? 1 : 0), .text(asset.adjustment),
                      .integer(asset.deleted ? 1 : 0), .text(asset.master), .text(asset.asset)])
            for file in files {
                try db.query("""
                    INSERT INTO files(asset_id, slot, path, size, status) VALUES(?, ?, ?, ?, ?)
                    ON CONFLICT(asset_id, slot) DO UPDATE SET path = excluded.path, size = excluded.size, status = excluded.status
                    """, [.text(asset.id), .text(file.slot), .text(file.path), .integer(file.size), .text(file.status)])
            }
            if let albums {
                try db.query("DELETE FROM memberships WHERE item = ?", [.text(asset.assetName)])
                for album in albums.sorted() {
                    try db.query("INSERT INTO memberships(item, album) VALUES(?, ?)", [.text(asset.assetName), .text(album)])
                }
            }
        }
    }

    /// Every asset not marked deleted.
    public func liveAssets() throws(ToolError) -> [Asset] {
        try transaction { db throws(ToolError) in
            try db.query("SELECT \(Self.assetColumns) FROM assets WHERE deleted = 0").map(Self.asset)
        }
    }

    public func markDeleted(_ id: String) throws(ToolError) {
        try transaction { db throws(ToolError) in _ = try db.query("UPDATE assets SET deleted = 1 WHERE id = ?", [.text(id)]) }
    }

    // MARK: albums

    /// The meta key saying memberships were read by a listing and kept since.
    static let albumsKey = "albums"

    /// Memberships are known (a listing read them, change runs kept them since).
    public func albumsKnown() throws(ToolError) -> Bool { try meta(Self.albumsKey) == "listed" }

    /// Forgets that memberships are known: a run stored a change token without following albums.
    public func forgetAlbums() throws(ToolError) { try setMeta(Self.albumsKey, nil) }

    public func albumCatalog() throws(ToolError) -> AlbumCatalog {
        try transaction { db throws(ToolError) in
            var catalog = AlbumCatalog()
            for row in try db.query("SELECT id, name, parent, folder FROM albums") {
                catalog.set(row[0].text ?? "", .init(name: row[1].text ?? "", parent: row[2].text, isFolder: row[3].integer == 1))
            }
            return catalog
        }
    }

    /// The albums holding a photo (by its CPLAsset record name).
    public func albumIDs(ofItem item: String) throws(ToolError) -> Set<String> {
        try transaction { db throws(ToolError) in
            Set(try db.query("SELECT album FROM memberships WHERE item = ?", [.text(item)]).compactMap { $0[0].text })
        }
    }

    /// The photos (CPLAsset record names) in any of these albums.
    public func items(inAlbums albums: Set<String>) throws(ToolError) -> Set<String> {
        try transaction { db throws(ToolError) in
            var items = Set<String>()
            for album in albums {
                for row in try db.query("SELECT item FROM memberships WHERE album = ?", [.text(album)]) { if let t = row[0].text { items.insert(t) } }
            }
            return items
        }
    }

    /// A full listing's albums and memberships replace what was known; memberships are known from now on.
    public func replaceAlbums(_ memberships: AlbumMemberships) throws(ToolError) {
        try transaction { db throws(ToolError) in
            try db.execute("DELETE FROM albums; DELETE FROM memberships")
            try Self.insert(memberships.catalog, db)
            for (item, albums) in memberships.members {
                for album in albums { try db.query("INSERT INTO memberships(item, album) VALUES(?, ?)", [.text(item), .text(album)]) }
            }
            try Self.setMeta(db, Self.albumsKey, "listed")
        }
    }

    /// A change run's albums replace the stored ones; memberships joined and left are applied.
    public func applyAlbumChanges(catalog: AlbumCatalog, joined: [String: Set<String>], left: [String: Set<String>]) throws(ToolError) {
        try transaction { db throws(ToolError) in
            try db.execute("DELETE FROM albums")
            try Self.insert(catalog, db)
            for (item, albums) in left {
                for album in albums { try db.query("DELETE FROM memberships WHERE item = ? AND album = ?", [.text(item), .text(album)]) }
            }
            for (item, albums) in joined {
                for album in albums {
                    try db.query("INSERT OR IGNORE INTO memberships(item, album) VALUES(?, ?)", [.text(item), .text(album)])
                }
            }
            // A deleted album's relations may never come: they go with it.
            try db.query("DELETE FROM memberships WHERE album NOT IN (SELECT id FROM albums)")
        }
    }

    static func insert(_ catalog: AlbumCatalog, _ db: SQLiteConnection) throws(ToolError) {
        for (id, entry) in catalog.entries {
            try db.query("INSERT INTO albums(id, name, parent, folder) VALUES(?, ?, ?, ?)",
                         [.text(id), .text(entry.name), entry.parent.map(SQLValue.text) ?? .null, .integer(entry.isFolder ? 1 : 0)])
        }
    }

    /// Every asset and file, sorted: what tests compare between runs.
    public func dump() throws(ToolError) -> [String] {
        try transaction { db throws(ToolError) in
            let assets = try db.query("SELECT id, asset_name, favorite, adjustment, deleted FROM assets ORDER BY id").map {
                "asset \($0.map { $0.text ?? String($0.integer ?? 0) }.joined(separator: " "))"
            }
            let files = try db.query("SELECT asset_id, slot, path, size, status FROM files ORDER BY asset_id, slot").map {
                "file \($0.map { $0.text ?? String($0.integer ?? 0) }.joined(separator: " "))"
            }
            let zones = try db.query("SELECT name, token FROM zones ORDER BY name").map { "zone \($0[0].text ?? "") \($0[1].text ?? "")" }
            let albums = try db.query("SELECT id, name, parent, folder FROM albums ORDER BY id").map {
                "album \($0.map { $0.text ?? ($0.integer.map(String.init) ?? "-") }.joined(separator: " "))"
            }
            let memberships = try db.query("SELECT item, album FROM memberships ORDER BY item, album").map {
                "member \($0[0].text ?? "") \($0[1].text ?? "")"
            }
            return assets + files + zones + albums + memberships
        }
    }
}
