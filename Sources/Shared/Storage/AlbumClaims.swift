import Foundation

/// The (album, asset) pairs `immich-album` itself added, one SQLite file (WAL mode): what
/// `--mirror` may take out again. A pair is claimed only when an add really added the asset (an
/// asset already in the album, say put there by hand, is never claimed) and is forgotten once
/// it left the album. Each change is one transaction, written before the batch's records go on.
public final class AlbumClaims {
    public static let schemaVersion: Int64 = 1
    /// Where the claims are unless told (`--state`): beside the journal.
    public static let defaultLocation = "~/.pyicloud/immich_album_state.sqlite"

    /// The state file beside a journal: its folder, `immich_album_state.sqlite`.
    public static func location(besideJournal journal: String) -> String {
        let folder = (journal as NSString).deletingLastPathComponent
        return folder.isEmpty ? "immich_album_state.sqlite" : folder + "/immich_album_state.sqlite"
    }

    /// One pair and the rule (its source text) that added it.
    public struct Claim: Sendable, Hashable {
        public let albumId: String
        public let assetId: String
        public let rule: String

        public init(albumId: String, assetId: String, rule: String) {
            self.albumId = albumId
            self.assetId = assetId
            self.rule = rule
        }
    }

    private let connection: SQLiteConnection
    public let path: String

    /// Opens (creating it and its folder) the file at `path`, a leading `~` expanded. A dry run
    /// reads an existing file but creates none: without one it starts from an empty memory copy.
    public init(path: String?, dryRun: Bool = false) throws(ToolError) {
        var path = PendingJournal.path(path ?? Self.defaultLocation)
        if dryRun && !FileManager.default.fileExists(atPath: path) { path = ":memory:" }
        self.path = path
        let (db, found) = try SQLiteConnection.openVersioned(path: path, schema: Self.schemaVersion) { found in
            "The album state \(path) has schema version \(found), newer than this immich-album understands (\(Self.schemaVersion))."
        }
        if found < Self.schemaVersion {
            try db.execute("""
                BEGIN IMMEDIATE;
                CREATE TABLE IF NOT EXISTS claims (
                    album_id TEXT NOT NULL, asset_id TEXT NOT NULL, rule TEXT NOT NULL, PRIMARY KEY (album_id, asset_id));
                CREATE INDEX IF NOT EXISTS claims_by_asset ON claims(asset_id);
                PRAGMA user_version = \(Self.schemaVersion);
                COMMIT;
                """)
        }
        connection = db
    }

    /// The claims on any of `assets`.
    public func claims(onAssets assets: some Collection<String>) throws(ToolError) -> [Claim] {
        var found: [Claim] = []
        let list = Array(Set(assets)).sorted()
        // One SQL parameter per id; SQLite's default limit is far above 500.
        for start in stride(from: 0, to: list.count, by: 500) {
            let chunk = list[start..<min(start + 500, list.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let rows = try connection.query("SELECT album_id, asset_id, rule FROM claims WHERE asset_id IN (\(marks))",
                                            chunk.map { .text($0) })
            for row in rows {
                guard row.count == 3, let album = row[0].text, let asset = row[1].text, let rule = row[2].text else { continue }
                found.append(Claim(albumId: album, assetId: asset, rule: rule))
            }
        }
        return found
    }

    /// Claims `added` and forgets `removed` (album id, asset id), in one transaction.
    public func update(adding added: [Claim], removing removed: [(albumId: String, assetId: String)]) throws(ToolError) {
        guard !added.isEmpty || !removed.isEmpty else { return }
        let connection = self.connection
        try connection.transaction { () throws(ToolError) in
            for claim in added {
                try connection.query("INSERT OR IGNORE INTO claims (album_id, asset_id, rule) VALUES (?, ?, ?)",
                                     [.text(claim.albumId), .text(claim.assetId), .text(claim.rule)])
            }
            for pair in removed {
                try connection.query("DELETE FROM claims WHERE album_id = ? AND asset_id = ?", [.text(pair.albumId), .text(pair.assetId)])
            }
        }
    }

    /// Every claim, for tests and inspection.
    public func all() throws(ToolError) -> [Claim] {
        try connection.query("SELECT album_id, asset_id, rule FROM claims ORDER BY album_id, asset_id").compactMap { row in
            guard row.count == 3, let album = row[0].text, let asset = row[1].text, let rule = row[2].text else { return nil }
            return Claim(albumId: album, assetId: asset, rule: rule)
        }
    }
}
