/// What a delta means for this library, decided against the state database before anything
/// is touched: photos to plan and download (new, favourite flips, edits, restores, and photos
/// whose albums changed, rebuilt from their stored records) and deletions. A lone half the state database does not know cannot be paired safely: then
/// there is no plan, and the caller lists the whole library instead of guessing.
struct ChangePlan {
    var photos: [PhotoAsset] = []
    var deletions: [StateDatabase.Asset] = []

    init?(_ batch: ChangeBatch, state: StateDatabase) throws(ToolError) {
        var deleted = Set<String>()
        func delete(_ name: String) throws(ToolError) {
            guard let known = try state.asset(named: name), !known.deleted, !deleted.contains(known.id) else { return }
            deleted.insert(known.id)
            deletions.append(known)
        }
        for name in batch.tombstones { try delete(name) }
        for change in batch.changes {
            switch change {
            case let .pair(master, asset):
                if Self.isDeleted(asset) || Self.isDeleted(master) { try delete(master.recordName); continue }
                if Self.isHidden(asset) { continue }  // the listing leaves hidden photos out too
                photos.append(PhotoAsset(master: master, asset: asset))
            case let .assetOnly(masterName, asset):
                guard let known = try state.asset(named: masterName), let master = CloudKitRecord.fromJSONText(known.master) else {
                    Log.info("A changed photo (\(asset.recordName)) is not in the state database: listing the whole library")
                    return nil
                }
                if Self.isDeleted(asset) { try delete(masterName); continue }
                if Self.isHidden(asset) { continue }
                photos.append(PhotoAsset(master: master, asset: asset))
            case let .masterOnly(master):
                if Self.isDeleted(master) { try delete(master.recordName); continue }
                // A master changes alone only in ways that do not change the files we keep.
                if try state.asset(named: master.recordName) == nil {
                    Log.info("A changed photo (\(master.recordName)) arrived without its CPLAsset: listing the whole library")
                    return nil
                }
            }
        }
    }

    /// Photos whose albums may read differently and that the delta did not send: their stored
    /// CPLMaster and CPLAsset (nil: one was saved without its CPLAsset, by schema 1).
    mutating func addAlbumChanges(_ albums: AlbumChanges, batch: ChangeBatch, state: StateDatabase) throws(ToolError) -> Bool {
        // A photo the delta sent is handled as it says (hidden ones stay out).
        let sent = Set(batch.assets.values.map(\.recordName))
        let gone = Set(deletions.map(\.assetName))
        for item in albums.affectedItems.sorted() where !sent.contains(item) && !gone.contains(item) {
            guard let known = try state.asset(named: item), known.assetName == item, !known.deleted else { continue }
            guard let master = CloudKitRecord.fromJSONText(known.master), let asset = CloudKitRecord.fromJSONText(known.asset) else {
                Log.info("A photo whose albums changed (\(item)) has no stored CPLAsset: listing the whole library")
                return false
            }
            photos.append(PhotoAsset(master: master, asset: asset))
        }
        return true
    }

    static func isDeleted(_ record: CloudKitRecord) -> Bool { record.value("isDeleted")?.int64Value == 1 }
    static func isHidden(_ record: CloudKitRecord) -> Bool { record.value("isHidden")?.int64Value == 1 }
}
