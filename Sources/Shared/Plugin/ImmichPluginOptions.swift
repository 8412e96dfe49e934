/// The options of `icloudpd --plugin immich` (the seed's "Immich Plugin Options" plus
/// `--immich-path-map`), appended to icloudpd's option table. Each one is handed to the
/// pipeline step that serves it (docs/immich-plugin.md); `ImmichPluginSettings` parses them.
public enum ImmichPluginOptions {
    static let sizes = ValueCompletion.values(PhotoRecord.stillSizes)

    public static let all: [OptionSpec] = [
        OptionSpec("plugin", .value, valueName: "NAME", help: "Run a plugin after each download: 'immich' registers the photos in an Immich external library.",
                   completion: .values(["immich"])),
        OptionSpec("immich-server-url", .value, valueName: "URL", help: "Immich server URL, e.g. http://localhost:2283.",
                   environment: "IMMICH_SERVER_URL"),
        OptionSpec("immich-api-key", .value, valueName: "KEY",
                   help: "Immich API key (an admin's). Prefer IMMICH_API_KEY: a command line is visible to other users.",
                   environment: "IMMICH_API_KEY"),
        OptionSpec("immich-library-id", .value, valueName: "ID", help: "Id of the Immich external library the download directory is in.",
                   environment: "IMMICH_LIBRARY_ID"),
        OptionSpec("immich-stack-media", .optionalValue, valueName: "SIZES",
                   help: "Stack the size variants of each photo, the first listed size on top (all sizes, adjusted on top, without a list).",
                   completion: sizes),
        OptionSpec("associate-live-with-extra-sizes", .optionalValue, valueName: "SIZES",
                   help: "Link the live video of live photos to these sizes too (all sizes without a list).", completion: sizes),
        OptionSpec("immich-favorite", .optionalValue, valueName: "SIZES",
                   help: "Mark these sizes of iCloud favourites as Immich favourites (all sizes without a list); never unmarks.",
                   completion: sizes),
        OptionSpec("immich-album", .repeated, valueName: "RULE",
                   help: "Add photos to an album: '[size1,size2]:template' or 'template', with {:%Y/%m} dates (repeatable)."),
        OptionSpec("immich-process-existing",
                   help: "Also run the whole pipeline for photos already on disk (first sync, or rebuilding albums)."),
        // --process-existing-favorites is an icloudpd option (ICloudPDOptions.metadata); with the
        // plugin it also routes existing favourites to register + favourite only.
        OptionSpec("immich-batch-process", .optionalValue, valueName: "N|all",
                   help: "Run the Immich steps once per N photos, or once at the end of each run with 'all' or no value.",
                   default: "1", completion: .values(["all", "10", "50", "100"])),
        OptionSpec("immich-batch-log-file", .value, valueName: "FILE",
                   help: "Journal of photos not yet processed in Immich, replayed first by the next run.",
                   default: "~/.pyicloud/immich_pending_files.json", completion: .file),
        OptionSpec("immich-scan-timeout", .value, valueName: "SECONDS",
                   help: "How long to wait for a library scan to register the new files; 0 waits forever.", default: "5"),
        OptionSpec("immich-poll-interval", .value, valueName: "SECONDS", help: "Time between checks while waiting for a scan.", default: "1"),
        OptionSpec("immich-concurrency", .value, valueName: "N",
                   help: "Independent Immich requests of a batch in flight at once, in every step (1–64).", default: "8"),
        OptionSpec("immich-path-map", .repeated, valueName: "LOCAL=SERVER",
                   help: "The folder LOCAL is SERVER for Immich (e.g. a Docker mount): /mnt/photos=/data/photos (repeatable)."),
    ]

    /// The options that mean nothing without `--plugin immich`.
    static var pluginOnly: [OptionSpec] { all.filter { $0.name != "plugin" } }
}
