import Foundation

// The rows of the fake Immich database. Plain values; `ImmichWorld` owns them all.

struct UserRecord {
    var id: String
    var name: String
    var email: String
    var apiKey: String
    var apiKeyId: String
    var isAdmin: Bool
    var createdAt: Date
}

struct LibraryRecord {
    var id: String
    var ownerId: String
    var name: String
    var importPaths: [String]
    var exclusionPatterns: [String]
    var createdAt: Date
    var updatedAt: Date
    var refreshedAt: Date?
}

enum AssetType: String { case image = "IMAGE", video = "VIDEO" }

enum AssetVisibility: String, CaseIterable {
    case archive, timeline, hidden, locked
}

struct AssetRecord {
    var id: String
    var ownerId: String
    var libraryId: String?
    var originalPath: String
    var originalFileName: String
    var type: AssetType
    var visibility: AssetVisibility = .timeline
    var isFavorite = false
    var livePhotoVideoId: String?
    var stackId: String?
    var checksum: Data
    var fileSize: Int64
    var createdAt: Date
    var updatedAt: Date
    var fileCreatedAt: Date
    var fileModifiedAt: Date
    var isOffline = false
    var deletedAt: Date?
    /// Put in the trash by a user (`DELETE /assets`, Immich's status `trashed`): only these come
    /// back with `POST /trash/restore/assets`; an offline asset (trashed by a scan) comes back
    /// when a scan finds its file again.
    var trashedByUser = false
    /// Insertion order, the last tie-breaker that keeps listings stable.
    var sequence: Int

    var isTrashed: Bool { deletedAt != nil }
}

struct StackRecord {
    var id: String
    var ownerId: String
    var primaryAssetId: String
    var createdAt: Date
}

struct AlbumRecord {
    var id: String
    var name: String
    var ownerId: String
    /// Users the album is shared with (as editors).
    var sharedWith: [String]
    var assetIds: [String]
    var createdAt: Date
    var updatedAt: Date
}

/// One accepted `POST /libraries/{id}/scan`.
struct ScanRecord {
    var libraryId: String
    var requestedAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    var inserted = 0
    var restored = 0
    var offlined = 0
}
