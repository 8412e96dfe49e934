/// Everything a download run does besides naming (which `DownloadOptions` decides).
public struct DownloadSettings: Sendable {
    public var options: DownloadOptions
    /// Files downloaded at once (`--threads-num`).
    public var threads: Int = DownloadSettings.defaultThreads
    public var recent: Int? = nil
    public var untilFound: Int? = nil
    public var filter = AssetFilter()
    public var dryRun = false
    public var onlyPrintFilenames = false
    public var xmpSidecar = false
    /// `--favorite-to-rating N`: the XMP rating of favourites.
    public var favoriteRating: Int? = nil
    public var processExistingFavorites = false
    public var metadataOverwrite = false
    /// `--set-exif-datetime`: EXIF DateTimeOriginal into downloaded JPEGs that lack it.
    public var setExifDateTime = false

    public init(options: DownloadOptions) { self.options = options }

    /// `--threads-num` unless told.
    public static let defaultThreads = 8
}
