import Foundation
import Synchronization

/// Keeps the state database in step with a `DownloadRun`: each handled photo is saved (record
/// names, favourite, edit checksum, files) in its own transaction; a failure is counted so the
/// change token is not advanced past it; the first listing page's zone token is kept.
/// In incremental mode the records say what changed (`"changed":["favorite"]`); with albums
/// known (read by the listing, or the change run's), a photo whose albums differ from the
/// state database's says `"albums"`, and its memberships are saved with it.
public final class SyncStateRecorder: DownloadRunObserver {
    /// `full`: a record for every photo; `incremental`: only for what changed (the change feed
    /// said it did); `changesOnly`: a full listing's photos, but records only for what differs
    /// from the state database or had a file downloaded now.
    public enum Mode: Sendable { case full, incremental, changesOnly }

    struct Progress {
        var listingToken: String?
        var masters = Set<String>()
        var failures = 0
        var saveErrors = 0
        var albums: (any PhotoAlbums)?
        var listedAlbums: AlbumMemberships?
    }

    let state: StateDatabase
    let mode: Mode
    /// The albums as the state database knew them before this run (names of what it held).
    let previousCatalog: AlbumCatalog
    private let progress = Mutex(Progress())

    /// `albums`: the memberships of a change run (a listing hands its own to `albumsListed`).
    public init(state: StateDatabase, mode: Mode, albums: (any PhotoAlbums)? = nil) {
        self.state = state
        self.mode = mode
        previousCatalog = (try? state.albumCatalog()) ?? AlbumCatalog()
        progress.withLock { $0.albums = albums }
    }

    public func albumsListed(_ memberships: AlbumMemberships) {
        progress.withLock {
            $0.albums = memberships
            $0.listedAlbums = memberships
        }
    }

    /// What the listing read, nil when it read no albums.
    public var listedAlbums: AlbumMemberships? { progress.withLock { $0.listedAlbums } }
    var albums: (any PhotoAlbums)? { progress.withLock { $0.albums } }

    /// The zone token of the first listing page: changes during the listing come again in the next delta.
    public var listingToken: String? { progress.withLock { $0.listingToken } }
    /// Photos that failed, or whose state could not be saved.
    public var problems: Int { progress.withLock { $0.failures + $0.saveErrors } }

    public func listed(_ page: CloudKitQueryResponse) {
        progress.withLock {
            if $0.listingToken == nil { $0.listingToken = page.syncToken }
            for record in page.records where record.isMaster { $0.masters.insert(record.recordName) }
        }
    }

    /// The CPLMaster record names of every listing page seen.
    public var listedMasters: Set<String> { progress.withLock { $0.masters } }

    /// `fileChecksum` of the adjusted render (`resJPEGFullRes` on the CPLAsset), "" when none.
    public static func adjustment(_ asset: CloudKitRecord) -> String {
        asset.value("resJPEGFullRes").map { CloudKitAssetReference($0).fileChecksum ?? "" } ?? ""
    }

    /// What changed since the state database last saw the photo.
    public func changes(_ asset: PhotoAsset) -> [String] {
        guard let known = try? state.asset(named: asset.id) else { return ["new"] }
        var out: [String] = []
        if known.deleted { out.append("restored") }
        if known.favorite != asset.isFavorite { out.append("favorite") }
        if known.adjustment != Self.adjustment(asset.asset) { out.append("edited") }
        if let albums {
            // A deleted photo's record said it was in no album.
            let before = known.deleted ? [] : previousCatalog.names((try? state.albumIDs(ofItem: asset.asset.recordName)) ?? [])
            if before != albums.names(of: asset) { out.append("albums") }
        }
        return out
    }

    public func record(_ record: JSON, for asset: PhotoAsset) -> JSON? {
        guard mode != .full, case .object(var object) = record else { return record }
        var changed = changes(asset)
        if mode == .changesOnly && changed.isEmpty && Self.downloadedAny(record) { changed = ["files"] }
        if changed.isEmpty { return nil }
        object["changed"] = .array(changed.map { .string($0) })
        return .object(object)
    }

    /// Some file of the record was downloaded by this run (the options changed, or it was missing).
    static func downloadedAny(_ record: JSON) -> Bool {
        for group in ["files", "live"] {
            for (_, entry) in record[group]?.objectValue ?? JSONObject() where entry["status"]?.stringValue == "downloaded" { return true }
        }
        return false
    }

    /// A file's state once its photo is handled: on disk, downloaded by this run or an earlier
    /// one (the same whichever run it was, so an interrupted run ends like an uninterrupted one).
    static let present = "present"

    public func completed(_ asset: PhotoAsset, plan: AssetPlan, statuses: [RecordSlot: FileStatus]) {
        var files: [StateDatabase.File] = []
        for size in plan.order {
            guard let file = plan.files[size] else { continue }
            files.append(StateDatabase.File(slot: size.rawValue, path: file.path, size: file.version.size, status: Self.present))
        }
        if let live = plan.live, let size = plan.liveSize {
            files.append(StateDatabase.File(slot: "live:" + size.rawValue, path: live.path, size: live.version.size,
                                            status: Self.present))
        }
        let row = StateDatabase.Asset(id: asset.id, assetName: asset.asset.recordName, favorite: asset.isFavorite,
                                      adjustment: Self.adjustment(asset.asset), master: asset.master.jsonText, asset: asset.asset.jsonText)
        do { try state.save(row, files: files, albums: albums?.albumIDs(ofItem: asset.asset.recordName)) } catch {
            Log.error("\(error)")
            progress.withLock { $0.saveErrors += 1 }
        }
    }

    public func failed(_ asset: PhotoAsset) {
        progress.withLock { $0.failures += 1 }
    }
}
