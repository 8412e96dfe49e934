/// One listing icloudpd can download: the whole library, a smart folder or a user album
/// (docs/references.md#icloudpd-cloudkit-listing). Knows its `records/query` type, its count key
/// and its extra filter.
public struct PhotoAlbum: Sendable, Equatable {
    public var name: String
    public var listType: String
    public var countType: String
    /// Extra `filterBy` entry (field name, value), nil for none.
    public var filter: (field: String, value: String)?

    public static func == (a: PhotoAlbum, b: PhotoAlbum) -> Bool {
        a.name == b.name && a.listType == b.listType && a.countType == b.countType
            && a.filter?.field == b.filter?.field && a.filter?.value == b.filter?.value
    }

    /// The default: every photo and video, not hidden or deleted.
    public static let all = PhotoAlbum(name: "All Photos", listType: "CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted",
                                       countType: "CPLAssetByAssetDateWithoutHiddenOrDeleted", filter: nil)

    /// Photos moved to Recently Deleted (`--auto-delete`).
    public static let recentlyDeleted = PhotoAlbum(name: "Recently Deleted", listType: "CPLAssetAndMasterDeletedByExpungedDate",
                                                   countType: "CPLAssetDeletedByExpungedDate", filter: nil)

    /// Smart folders in icloudpd's `--list-albums` order.
    public static let smartFolders: [PhotoAlbum] = {
        func smart(_ name: String, _ key: String, _ value: String) -> PhotoAlbum {
            PhotoAlbum(name: name, listType: "CPLAssetAndMasterInSmartAlbumByAssetDate",
                       countType: "CPLAssetInSmartAlbumByAssetDate:\(key)", filter: ("smartAlbum", value))
        }
        return [
            smart("Time-lapse", "Timelapse", "TIMELAPSE"),
            smart("Videos", "Video", "VIDEO"),
            smart("Slo-mo", "Slomo", "SLOMO"),
            PhotoAlbum(name: "Bursts", listType: "CPLBurstStackAssetAndMasterByAssetDate",
                       countType: "CPLAssetBurstStackAssetByAssetDate", filter: nil),
            smart("Favorites", "Favorite", "FAVORITE"),
            smart("Panoramas", "Panorama", "PANORAMA"),
            smart("Screenshots", "Screenshot", "SCREENSHOT"),
            smart("Live", "Live", "LIVE"),
            recentlyDeleted,
            PhotoAlbum(name: "Hidden", listType: "CPLAssetAndMasterHiddenByAssetDate",
                       countType: "CPLAssetHiddenByAssetDate", filter: nil),
        ]
    }()

    public static func user(name: String, recordName: String) -> PhotoAlbum {
        PhotoAlbum(name: name, listType: "CPLContainerRelationLiveByAssetDate",
                   countType: "CPLContainerRelationNotDeletedByAssetDate:\(recordName)", filter: ("parentId", recordName))
    }
}
