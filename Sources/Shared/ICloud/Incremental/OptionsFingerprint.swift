/// The options the downloaded files depend on (directory, folders, sizes, naming, live-photo
/// and RAW policies, skips, library, metadata written beside or into them). When it differs from the stored one the next run lists
/// the whole library: a delta would never revisit photos whose files should now differ.
public enum OptionsFingerprint {
    public static func of(_ settings: DownloadSettings, library: String) -> String {
        // The derived descriptions cover every field, including ones added later; a compiler
        // that prints them differently only costs one full listing.
        // Metadata options change files too (sidecars, ratings, EXIF dates of existing files).
        "v1|\(library)|\(settings.options)|videos:\(!settings.filter.skipVideos)|photos:\(!settings.filter.skipPhotos)"
            + "|xmp:\(settings.xmpSidecar)|rating:\(settings.favoriteRating.map(String.init) ?? "-")"
            + "|existingFavorites:\(settings.processExistingFavorites)|overwrite:\(settings.metadataOverwrite)|exif:\(settings.setExifDateTime)"
    }
}
