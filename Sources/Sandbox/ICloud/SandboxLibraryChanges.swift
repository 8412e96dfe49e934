import Foundation

/// What happened to a generated library after it was created: photos added on top,
/// favourites flipped, edits, deletions (to Recently Deleted), album changes, expired change
/// tokens. Each mutation is one version; the change log says, per photo, the last version that
/// touched it and which records (CPLAsset only, or both halves) a delta sends for it; the album
/// logs say the same of each CPLAlbum and CPLContainerRelation record.
public struct SandboxLibraryChanges: Sendable {
    public enum Halves: Sendable { case assetOnly, both }

    public struct Entry: Sendable {
        public var version: Int
        public var halves: Halves
    }

    /// Current version: the zone token is `Z<version>`, the database token `D<version>`.
    public var version = 1
    /// Tokens older than this are refused (`BAD_REQUEST`), as an expired token would be.
    public var expiredBelow = 0
    public var favorites: [Int: Bool] = [:]
    /// Edit generation per photo (each edit renders a new adjusted file).
    public var edits: [Int: Int] = [:]
    public var deleted: Set<Int> = []
    public var log: [Int: Entry] = [:]
    /// Album record name → the last version that changed its CPLAlbum record.
    public var albumLog: [String: Int] = [:]
    /// Relation name (`<asset>-IN-<album>`) → the last version that added or removed it.
    public var relationLog: [String: Relation] = [:]

    public struct Relation: Sendable {
        public var version: Int
        public var album: String
        public var index: Int
    }

    public init() {}

    mutating func touch(_ index: Int, _ halves: Halves) {
        let both = halves == .both || log[index]?.halves == .both
        log[index] = Entry(version: version, halves: both ? .both : .assetOnly)
    }

    /// Photos changed after `version`, oldest change first.
    public func changed(since version: Int) -> [(index: Int, halves: Halves)] {
        log.filter { $0.value.version > version }
            .sorted { ($0.value.version, $0.key) < ($1.value.version, $1.key) }
            .map { ($0.key, $0.value.halves) }
    }
}

extension SandboxPhotoLibrary {
    /// `n` new photos, newest on top.
    public mutating func addPhotos(_ n: Int) {
        changes.version += 1
        for index in count..<(count + n) { changes.touch(index, .both) }
        count += n
        logRuleMemberships((count - n)..<count)
    }

    public mutating func setFavorite(_ index: Int, _ favorite: Bool) {
        changes.version += 1
        changes.favorites[index] = favorite
        changes.touch(index, .assetOnly)
    }

    /// A new adjusted render (crop, filter): only the CPLAsset changes.
    public mutating func edit(_ index: Int) {
        changes.version += 1
        changes.edits[index, default: 0] += 1
        changes.touch(index, .assetOnly)
    }

    /// Moved to Recently Deleted: both halves come back with `isDeleted = 1`.
    public mutating func delete(_ index: Int) {
        changes.version += 1
        changes.deleted.insert(index)
        changes.touch(index, .both)
    }

    /// Every token handed out so far is refused from now on.
    public mutating func expireTokens() {
        changes.version += 1
        changes.expiredBelow = changes.version
    }

    public var zoneToken: String { "Z\(changes.version)" }
    public func isFavorite(_ index: Int) -> Bool { changes.favorites[index] ?? (index % 3 == 0) }
    public func isDeleted(_ index: Int) -> Bool { changes.deleted.contains(index) }
}
