import Foundation

/// What a delta did to albums, against the state database: albums created, renamed, moved
/// or deleted (a `CPLAlbum` with `isDeleted`, or its tombstone once purged; a deleted folder
/// takes what it holds), photos that joined (`CPLContainerRelation` `<asset>-IN-<album>`) or
/// left (that relation's tombstone). It answers each photo's albums after the delta, and
/// names the photos whose albums may read differently now. nil when an album's folder is not
/// known (the delta left something out): the caller lists the whole library instead.
struct AlbumChanges: PhotoAlbums {
    let state: StateDatabase
    let before: AlbumCatalog
    let after: AlbumCatalog
    /// CPLAsset record name → albums joined / left.
    let joined: [String: Set<String>]
    let left: [String: Set<String>]
    /// Photos (CPLAsset record names) whose albums may differ: memberships changed, or an album
    /// holding them was renamed, moved or deleted.
    let affectedItems: Set<String>

    init?(_ batch: ChangeBatch, state: StateDatabase) throws(ToolError) {
        self.state = state
        let before = try state.albumCatalog()
        self.before = before
        var after = before
        var joined: [String: Set<String>] = [:], left: [String: Set<String>] = [:]
        func leave(_ item: String, _ album: String) {
            left[item, default: []].insert(album)
            joined[item]?.remove(album)
        }
        for name in batch.tombstones {
            if after.entries[name] != nil || before.entries[name] != nil { after.remove(name) }
            else if let split = name.range(of: "-IN-") { leave(String(name[..<split.lowerBound]), String(name[split.upperBound...])) }
        }
        // Entries first, deletions after: a deleted folder takes what it holds, whatever the order.
        let readings = batch.albums.map { ($0.key, AlbumCatalog.read($0.value)) }
        for (id, reading) in readings { if case .entry(let entry) = reading { after.set(id, entry) } }
        for (id, reading) in readings where reading == .deleted { after.remove(id) }
        for (name, record) in batch.relations {
            guard let album = record.value("containerId")?.stringValue,
                  let item = record.value("itemId")?.stringValue ?? name.range(of: "-IN-").map({ String(name[..<$0.lowerBound]) }) else { continue }
            if record.value("isDeleted")?.isTruthy == true { leave(item, album) }
            else { joined[item, default: []].insert(album); left[item]?.remove(album) }
        }
        if let orphan = after.unresolved.first {
            Log.info("An album (\(orphan)) is in a folder the state database does not know: listing the whole library")
            return nil
        }
        self.after = after
        self.joined = joined
        self.left = left
        let renamed = Set(before.entries.keys).union(after.entries.keys).filter { before.path($0) != after.path($0) }
        affectedItems = Set(joined.keys).union(left.keys).union(try state.items(inAlbums: renamed))
    }

    var isEmpty: Bool { before == after && joined.isEmpty && left.isEmpty }

    func albumIDs(ofItem item: String) -> Set<String> {
        let stored = (try? state.albumIDs(ofItem: item)) ?? []
        return stored.union(joined[item] ?? []).subtracting(left[item] ?? [])
    }

    func names(_ ids: Set<String>) -> [String] { after.names(ids) }

    /// Stores the delta (once every change up to it was handled).
    func commit() throws(ToolError) {
        try state.applyAlbumChanges(catalog: after, joined: joined, left: left)
    }
}
