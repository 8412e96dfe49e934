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
}
