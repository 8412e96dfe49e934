/// Follows a `DownloadRun` without changing what it downloads: the incremental sync keeps its
/// state database and change token from these calls.
public protocol DownloadRunObserver: Sendable {
    /// A full listing read the albums and their members (before its first page).
    func albumsListed(_ memberships: AlbumMemberships)
    /// A listing page arrived (it carries the zone's change token).
    func listed(_ page: CloudKitQueryResponse)
    /// The record about to be written for a handled photo: returned as is, extended, or nil to drop it.
    func record(_ record: JSON, for asset: PhotoAsset) -> JSON?
    /// Every file of the photo is downloaded or already there.
    func completed(_ asset: PhotoAsset, plan: AssetPlan, statuses: [RecordSlot: FileStatus])
    /// A file of the photo could not be downloaded.
    func failed(_ asset: PhotoAsset)
}
