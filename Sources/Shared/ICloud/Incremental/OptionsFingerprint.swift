/// The options the downloaded files depend on (directory, folders, sizes, naming, live-photo
/// and RAW policies, skips, library). When it differs from the stored one the next run lists
/// the whole library: a delta would never revisit photos whose files should now differ.
public enum OptionsFingerprint {
    public static func of(_ settings: DownloadSettings, library: String) -> String {
        // The derived descriptions cover every field, including ones added later; a compiler
        // that prints them differently only costs one full listing.
        "v1|\(library)|\(settings.options)|videos:\(!settings.filter.skipVideos)|photos:\(!settings.filter.skipPhotos)"
    }
}
