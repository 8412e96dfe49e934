import Foundation

/// The user albums and folders of a library, as `CPLAlbum` records describe them
/// (`albumType` 0: album, 3: folder; `parentId`: the folder holding it, the root folder at the
/// top level; `albumNameEnc`: the name, base64). An album's name in records is its path:
/// the names of the folders holding it, then its own, joined by `/` (`Family/Kids`).
/// Smart albums (Favorites, Videos, …) are not `CPLAlbum`s and shared albums live elsewhere:
/// neither is here.
public struct AlbumCatalog: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// The folder's record name; nil at the top level.
        public var parent: String?
        public var isFolder: Bool

        public init(name: String, parent: String?, isFolder: Bool) {
            self.name = name
            self.parent = parent
            self.isFolder = isFolder
        }
    }

    /// Live albums and folders by record name.
    public private(set) var entries: [String: Entry] = [:]

    public init(entries: [String: Entry] = [:]) { self.entries = entries }

    /// The containers every library has, never albums.
    public static let roots: Set<String> = ["----Root-Folder----", "----Project-Root-Folder----"]

    public enum Reading: Equatable {
        case entry(Entry)
        case deleted
        /// A root, another album type, or a record without a readable name.
        case ignored
    }

    /// What one CPLAlbum record says (`isDeleted` truthy: deleted in Photos).
    public static func read(_ record: CloudKitRecord) -> Reading {
        if roots.contains(record.recordName) { return .ignored }
        if record.value("isDeleted")?.isTruthy == true { return .deleted }
        let type = record.value("albumType")?.int64Value ?? 0
        guard type == 0 || type == 3 else { return .ignored }
        guard let encoded = record.value("albumNameEnc")?.stringValue, let name = PhotoAsset.decodeBase64UTF8(encoded) else {
            return .ignored
        }
        let parent = record.value("parentId")?.stringValue.flatMap { roots.contains($0) || $0.isEmpty ? nil : $0 }
        return .entry(Entry(name: name, parent: parent, isFolder: type == 3))
    }

    public mutating func set(_ id: String, _ entry: Entry) { entries[id] = entry }

    /// Removes an album, or a folder with everything inside it; returns what went.
    @discardableResult
    public mutating func remove(_ id: String) -> Set<String> {
        var gone: Set<String> = []
        var queue = [id]
        while let next = queue.popLast() {
            guard gone.insert(next).inserted else { continue }
            entries[next] = nil
            queue += entries.filter { $0.value.parent == next }.map(\.key)
        }
        return gone
    }

    /// An album's path (`Folder/Sub/Album`); nil for a folder, an unknown album, or one whose
    /// folders are not all known.
    public func path(_ id: String) -> String? {
        guard let entry = entries[id], !entry.isFolder else { return nil }
        var names = [entry.name]
        var parent = entry.parent
        var depth = 0
        while let folder = parent {
            guard let holder = entries[folder], holder.isFolder, depth < 64 else { return nil }
            names.append(holder.name)
            parent = holder.parent
            depth += 1
        }
        return names.reversed().joined(separator: "/")
    }

    /// Entries whose folders are not all known (a change feed that left something out).
    public var unresolved: [String] {
        entries.keys.filter { id in
            var parent = entries[id]?.parent
            var depth = 0
            while let folder = parent {
                guard let holder = entries[folder], depth < 64 else { return true }
                parent = holder.parent
                depth += 1
            }
            return false
        }.sorted()
    }

    /// The albums' paths, sorted by their UTF-8 bytes, each once.
    public func names(_ ids: Set<String>) -> [String] {
        Self.sorted(Set(ids.compactMap(path)))
    }

    public static func sorted(_ names: Set<String>) -> [String] {
        names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}

/// Which albums hold which photo, by the photo's CPLAsset record name (what a
/// `CPLContainerRelation`'s `itemId` names).
public protocol PhotoAlbums: Sendable {
    func albumIDs(ofItem item: String) -> Set<String>
    func names(_ ids: Set<String>) -> [String]
}

extension PhotoAlbums {
    /// The record's `albums`.
    public func names(of asset: PhotoAsset) -> [String] { names(albumIDs(ofItem: asset.asset.recordName)) }
}

/// Every album's members, read by a full listing.
public struct AlbumMemberships: PhotoAlbums, Equatable {
    public var catalog: AlbumCatalog
    /// CPLAsset record name → the albums holding it.
    public var members: [String: Set<String>]

    public init(catalog: AlbumCatalog = AlbumCatalog(), members: [String: Set<String>] = [:]) {
        self.catalog = catalog
        self.members = members
    }

    public func albumIDs(ofItem item: String) -> Set<String> { members[item] ?? [] }
    public func names(_ ids: Set<String>) -> [String] { catalog.names(ids) }
}
