/// Writes what goes next to a photo's files after they are settled: XMP sidecars for every
/// primary file with `--xmp-sidecar` (icloudpd rewrites them on every run, downloaded or not),
/// and for favourites with `--favorite-to-rating` alone: just downloaded ones, plus existing
/// ones with `--process-existing-favorites`. Media bytes are never touched here.
struct MetadataWriter {
    let settings: DownloadSettings

    func apply(_ asset: PhotoAsset, plan: AssetPlan, statuses: [RecordSlot: FileStatus]) {
        let ratingOnly = settings.favoriteRating != nil && asset.isFavorite
        guard settings.xmpSidecar || ratingOnly else { return }
        let content = XMPSidecar.content(asset, rating: FavoriteRating(favoriteRating: settings.favoriteRating).rating(asset))
        for size in plan.order {
            guard let file = plan.files[size], file.ownAction, let status = statuses[.still(size)] else { continue }
            let wanted = settings.xmpSidecar || status == .downloaded || settings.processExistingFavorites
            guard wanted else { continue }
            let path = XMPSidecar.path(for: file.path)
            switch XMPSidecarFile.write(content, to: path, overwriteForeign: settings.metadataOverwrite) {
            case .written: Log.debug("Wrote XMP sidecar \(LogPath.truncateMiddle(path))")
            case .unchanged: break
            case .keptForeign: Log.info("Not overwriting XMP file \(path)")
            case .failed(let message): Log.error(message)
            }
        }
    }
}
