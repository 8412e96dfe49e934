/// The options of `icloudpd --plugin immich` (the icloudpd Immich plugin's "Immich Plugin
/// Options" plus `--immich-path-map`), appended to icloudpd's option table. Each one is handed
/// to the pipeline step that serves it (docs/immich-plugin.md); `ImmichPluginSettings` reads them.
public enum ImmichPluginOptions {
    static let sizes = ValueCompletion.values(PhotoRecord.stillSizes)

    static let plugin = PlainOption<String?>(
        "plugin", valueName: "NAME", help: "Run a plugin after each download: 'immich' registers the photos in an Immich external library.",
        completion: .values(["immich"]))
    static let serverURL = PlainOption<String?>(
        "immich-server-url", valueName: "URL", help: "Immich server URL, e.g. http://localhost:2283.", environment: "IMMICH_SERVER_URL")
    static let apiKey = PlainOption<String?>(
        "immich-api-key", valueName: "KEY",
        help: "Immich API key (an admin's). Prefer IMMICH_API_KEY: a command line is visible to other users.",
        environment: "IMMICH_API_KEY")
    static let caFile = Option<String?>(
        "immich-ca-file", valueName: "PATH",
        help: "Trust the CA certificate(s) in this PEM file for Immich's TLS certificate (a reverse proxy with a private CA).",
        environment: "IMMICH_CA_FILE", completion: .file, parse: ImmichOptions.readableFile)
    static let libraryId = PlainOption<String?>(
        "immich-library-id", valueName: "ID", help: "Id of the Immich external library the download directory is in.",
        environment: "IMMICH_LIBRARY_ID")
    static let stackMedia = Option<SizeList?>(
        "immich-stack-media", valueName: "SIZES",
        help: "Stack the size variants of each photo, the first listed size on top (all sizes, adjusted on top, without a list).",
        completion: sizes, parseOptional: SizeList.parse(option:name:))
    static let associateLive = Option<SizeList?>(
        "associate-live-with-extra-sizes", valueName: "SIZES",
        help: "Link the live video of live photos to these sizes too (all sizes without a list).", completion: sizes,
        parseOptional: SizeList.parse(option:name:))
    static let favorite = Option<SizeList?>(
        "immich-favorite", valueName: "SIZES",
        help: "Mark these sizes of iCloud favourites as Immich favourites (all sizes without a list); unmarks only with --immich-favorite-mirror.",
        completion: sizes, parseOptional: SizeList.parse(option:name:))
    static let favoriteMirror = Flag(
        "immich-favorite-mirror", help: "Also unmark in Immich the photos unfavourited in iCloud (immich-fav --mirror); needs --immich-favorite.")
    static let deleteRemoved = Flag(
        "immich-delete-removed",
        help: "Move the assets of photos deleted in iCloud to Immich's trash (never deleted for good), and restore returning ones (immich-trash).")
    static let album = PlainOption<[String]>(
        "immich-album", valueName: "RULE",
        help: "Add photos to an album: '[size1,size2]:template' or 'template', with {:%Y/%m} dates and {album} for each iCloud album (repeatable).")
    static let albumMirror = Flag(
        "immich-album-mirror",
        help: "Also take a photo out of the Immich album an --immich-album rule put it in once it left that iCloud album or was deleted.")
    static let processExisting = Flag(
        "immich-process-existing", help: "Also run the whole pipeline for photos already on disk (first sync, or rebuilding albums).")
    // --process-existing-favorites is an icloudpd option (ICloudPDOptions.processExistingFavorites);
    // with the plugin it also routes existing favourites to register + favourite only.
    static let batchProcess = Option<JournalBatchSize>(
        "immich-batch-process", valueName: "N|all",
        help: "Run the Immich steps once per N photos, or once at the end of each run with 'all' or no value.",
        default: .default, completion: .values(["all", "10", "50", "100"])) { text, name throws(ToolError) in
            guard let text else { return .endOfInput }
            return try ImmichPluginSettings.checked(name) { () throws(ToolError) in try JournalBatchSize.parse(text) }
        }
    /// Its default is immich-batch's: the plugin passes `--log` only when this is given.
    static let batchLogFile = PlainOption<String>(
        "immich-batch-log-file", valueName: "FILE",
        help: "Journal of photos not yet processed in Immich, replayed first by the next run.",
        default: PendingJournal.defaultLocation, completion: .file)
    static let scanTimeout = Option<Seconds>(
        "immich-scan-timeout", valueName: "SECONDS",
        help: "How long to wait for a library scan to register the new files; 0 waits forever.", default: LibraryScanner.defaultTimeout)
    static let pollInterval = Option<Seconds>(
        "immich-poll-interval", valueName: "SECONDS", help: "Time between checks while waiting for a scan.",
        default: LibraryScanner.defaultPollInterval)
    static let concurrency = Option<Int>(
        "immich-concurrency", valueName: "N",
        help: "Independent Immich requests of a batch in flight at once, in every step (\(ImmichConcurrency.range.lowerBound)–\(ImmichConcurrency.range.upperBound)).",
        default: ImmichConcurrency.default, parse: ImmichConcurrency.parse)
    static let pathMap = PlainOption<[String]>(
        "immich-path-map", valueName: "LOCAL=SERVER",
        help: "The folder LOCAL is SERVER for Immich (e.g. a Docker mount): /mnt/photos=/data/photos (repeatable).")

    public static let all: [any OptionDeclaration] = [
        plugin, serverURL, apiKey, libraryId, caFile, stackMedia, associateLive, favorite, album, albumMirror, processExisting, batchProcess,
        batchLogFile, scanTimeout, pollInterval, concurrency, pathMap,
        favoriteMirror, deleteRemoved,
    ]

    /// The options that mean nothing without `--plugin immich`.
    static var pluginOnly: [any OptionDeclaration] { all.filter { $0.spec.name != plugin.name } }
}
