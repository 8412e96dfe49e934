/// Writes what goes next to a photo's files after they are settled (XMP sidecars).
struct MetadataWriter {
    let settings: DownloadSettings

    func apply(_ asset: PhotoAsset, plan: AssetPlan, statuses: [RecordSlot: FileStatus]) {
    }
}
