/// The photo records of a whole delta (every `changes/zone` page), paired: a CPLMaster and
/// its CPLAsset may arrive on different pages, and favourites and edits send the CPLAsset
/// alone. Albums (`CPLAlbum`) and memberships (`CPLContainerRelation`) are kept for the
/// album changes; other record types (library info, faces, …) are dropped.
public struct ChangeBatch: Sendable {
    /// CPLAsset records by their master's record name (the last one wins: its final state).
    public private(set) var assets: [String: CloudKitRecord] = [:]
    public private(set) var masters: [String: CloudKitRecord] = [:]
    /// Record names of tombstones (purged records; master or asset names, type unknown).
    public private(set) var tombstones: [String] = []
    /// CPLAlbum records by record name (the last one wins).
    public private(set) var albums: [String: CloudKitRecord] = [:]
    /// CPLContainerRelation records (`<asset>-IN-<album>`) by record name.
    public private(set) var relations: [String: CloudKitRecord] = [:]
    public private(set) var recordCount = 0

    public init() {}

    public mutating func add(_ records: [CloudKitRecord]) {
        for record in records {
            recordCount += 1
            if record.deleted == true { tombstones.append(record.recordName); continue }
            if record.isMaster { masters[record.recordName] = record }
            else if record.isAsset, let master = record.masterRecordName { assets[master] = record }
            else if record.recordType == "CPLAlbum" { albums[record.recordName] = record }
            else if record.recordType == "CPLContainerRelation" { relations[record.recordName] = record }
        }
    }

    /// A change of one photo: both halves, or the asset alone (the master from the state database).
    public enum Change: Sendable {
        case pair(master: CloudKitRecord, asset: CloudKitRecord)
        case assetOnly(masterName: String, asset: CloudKitRecord)
        case masterOnly(CloudKitRecord)
    }

    /// Every change, in a stable order (master record name).
    public var changes: [Change] {
        var out: [Change] = []
        for name in Set(assets.keys).union(masters.keys).sorted() {
            switch (masters[name], assets[name]) {
            case let (master?, asset?): out.append(.pair(master: master, asset: asset))
            case let (nil, asset?): out.append(.assetOnly(masterName: name, asset: asset))
            case let (master?, nil): out.append(.masterOnly(master))
            case (nil, nil): break
            }
        }
        return out
    }
}
