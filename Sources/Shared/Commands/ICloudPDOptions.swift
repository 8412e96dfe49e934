/// icloudpd 1.32's command line as one option table (reference §2). Options not implemented
/// yet are recognised (and kept out of --help) so a user gets "not implemented yet" instead of
/// having them silently ignored.
public enum ICloudPDOptions {
    static let logLevels = ["debug", "info", "error"]
    static let passwordProviders = ["console", "keyring", "parameter", "webui"]
    static let mfaProviders = ["console", "webui"]
    static let sizes = ["original", "medium", "thumb", "adjusted", "alternative"]

    /// Working now.
    public static let signIn: [OptionSpec] = [
        OptionSpec("username", short: "u", .repeated, valueName: "APPLE_ID", help: "Your iCloud username or email address."),
        OptionSpec("password", short: "p", .value, valueName: "PASSWORD",
                   help: "Your iCloud password (default: ask on the terminal). Prefer ICLOUD_PASSWORD: a command line is visible to other users.",
                   environment: "ICLOUD_PASSWORD"),
        OptionSpec("auth-only", help: "Create/update the cookie and session tokens only, then exit."),
        OptionSpec("cookie-directory", .value, valueName: "DIR",
                   help: "Directory to store cookies for authentication.", default: "~/.pyicloud", completion: .directory),
        OptionSpec("domain", .value, valueName: "DOMAIN", help: "What iCloud root domain to use: com, or cn for mainland China.",
                   default: "com", completion: .values(["com", "cn"])),
        OptionSpec("password-provider", .repeated, valueName: "PROVIDER",
                   help: "Where to get the password from, in order: parameter (--password or ICLOUD_PASSWORD), console (a prompt); keyring and webui are not implemented yet.",
                   default: "parameter, keyring, console", completion: .values(passwordProviders)),
        OptionSpec("mfa-provider", .value, valueName: "PROVIDER",
                   help: "Where to get the two-factor code from: console (the terminal, or stdin when it is not a terminal); webui is not implemented yet.",
                   default: "console", completion: .values(mfaProviders)),
        OptionSpec("notification-script", .value, valueName: "PATH",
                   help: "Run this executable (no arguments, no shell, without ICLOUD_PASSWORD or IMMICH_API_KEY in its environment) each time a two-factor code is needed, before asking for it; its exit status is ignored.",
                   completion: .file),
        OptionSpec("log-level", .value, valueName: "LEVEL", help: "Log level: debug, info or error. Logs go to stdout, as icloudpd's do.",
                   default: "debug", completion: .values(logLevels)),
        OptionSpec("directory", short: "d", .value, valueName: "DIR", help: "Local directory for downloads.", completion: .directory),
    ]

    /// Listing and downloading (reference §2.3), working.
    public static let download: [OptionSpec] = [
        OptionSpec("size", .repeated, valueName: "SIZE",
                   help: "Image size to download: original, medium, thumb, adjusted or alternative (repeatable).",
                   default: "original", completion: .values(sizes)),
        OptionSpec("live-photo-size", .value, valueName: "SIZE", help: "Live Photo video size to download: original, medium or thumb.",
                   default: "original", completion: .values(["original", "medium", "thumb"])),
        OptionSpec("recent", .value, valueName: "N", help: "Number of recent photos to download."),
        OptionSpec("until-found", .value, valueName: "N",
                   help: "Stop after N consecutive files were found already downloaded (icloudpd counts files, not photos)."),
        OptionSpec("album", short: "a", .repeated, valueName: "ALBUM", help: "Album(s) to download (default: the whole library)."),
        OptionSpec("list-albums", short: "l", help: "List the available albums."),
        OptionSpec("library", .value, valueName: "LIBRARY", help: "Library (zone) to download.", default: "PrimarySync"),
        OptionSpec("list-libraries", help: "List the available libraries."),
        OptionSpec("skip-videos", help: "Don't download videos."),
        OptionSpec("skip-photos", help: "Don't download photos."),
        OptionSpec("skip-live-photos", help: "Don't download the video part of live photos."),
        OptionSpec("force-size", help: "Only download the requested size (no fallback to original for medium/thumb)."),
        OptionSpec("folder-structure", .value, valueName: "FORMAT",
                   help: "Folder structure, a Python format of the date; none puts every file in the directory.", default: "{:%Y/%m/%d}"),
        OptionSpec("use-os-locale",
                   help: "Folder names in the host's locale (LC_ALL/LC_TIME/LANG); refused when they would differ from the C locale's."),
        OptionSpec("dry-run", help: "Do not modify the local system or iCloud (and send no download requests)."),
        OptionSpec("only-print-filenames", help: "Only print the paths of the files that would be downloaded."),
        OptionSpec("keep-unicode-in-filenames", help: "Keep unicode characters in file names."),
        OptionSpec("live-photo-mov-filename-policy", .value, valueName: "POLICY",
                   help: "Live photo video naming: suffix (IMG_1_HEVC.MOV for HEIC) or original.", default: "suffix",
                   completion: .values(["suffix", "original"])),
        OptionSpec("align-raw", .value, valueName: "POLICY", help: "RAW+JPEG treatment: as-is, original or alternative.",
                   default: "as-is", completion: .values(["as-is", "original", "alternative"])),
        OptionSpec("file-match-policy", .value, valueName: "POLICY",
                   help: "Existing-file matching: name-size-dedup-with-suffix or name-id7.", default: "name-size-dedup-with-suffix",
                   completion: .values(["name-size-dedup-with-suffix", "name-id7"])),
        OptionSpec("skip-created-before", .value, valueName: "DATE", help: "Skip photos created before DATE (ISO date/time, or Nd = N days ago)."),
        OptionSpec("skip-created-after", .value, valueName: "DATE", help: "Skip photos created after DATE (ISO date/time, or Nd = N days ago)."),
        OptionSpec("threads-num", .value, valueName: "N",
                   help: "Files downloaded at once (icloudpd ignores this option; we honour it).", default: "8"),
        OptionSpec("no-progress-bar", help: "No progress line (it is shown on stderr only when that is a terminal)."),
        OptionSpec("watch-with-interval", .value, valueName: "SECONDS", help: "Run again every SECONDS seconds."),
        OptionSpec("state-db", .value, valueName: "PATH",
                   help: "The incremental-sync state database (default: <cookie-directory>/<account>.<library>.state.sqlite).",
                   completion: .file),
        OptionSpec("full-listing", help: "List the whole library this run instead of asking iCloud what changed."),
        OptionSpec("records", .optionalValue, valueName: "FILE",
                   help: "Write one photo record (JSON) per photo handled to stdout, or to FILE; logs then go to stderr.",
                   completion: .file),
    ]

    /// Metadata next to and inside the downloaded files (reference §8, docs/icloudpd-download.md).
    public static let metadata: [OptionSpec] = [
        OptionSpec("set-exif-datetime", help: "Write EXIF DateTimeOriginal into downloaded JPEGs that lack it (changes their size, as in icloudpd)."),
        OptionSpec("xmp-sidecar", help: "Write an XMP sidecar (<file>.xmp) next to every downloaded or existing photo, as icloudpd does."),
        OptionSpec("favorite-to-rating", .optionalValue, valueName: "0-5",
                   help: "XMP rating of favourites (default 5 when given without a value); written into the XMP sidecar, never into the media file.",
                   completion: .values(["0", "1", "2", "3", "4", "5"])),
        OptionSpec("process-existing-favorites",
                   help: "Also write the favourite rating for files already downloaded; with --plugin immich, register and favourite existing iCloud favourites (only that)."),
        OptionSpec("auto-delete", help: "After downloading, delete the local files (and .xmp sidecars) of photos in Recently Deleted, named as icloudpd names them."),
        OptionSpec("metadata-overwrite", help: "Overwrite XMP sidecars written by other tools, and an existing EXIF DateTimeOriginal."),
    ]

    /// Real icloudpd options this build does not implement: refused with a clear message.
    public static let pending: [OptionSpec] = [
        OptionSpec("delete-after-download", help: "Delete the photo in iCloud after downloading.", hidden: true),
        OptionSpec("keep-icloud-recent-days", .value, valueName: "DAYS", help: "Keep photos newer than this in iCloud.", hidden: true),
        OptionSpec("smtp-username", .value, help: "SMTP username.", hidden: true),
        OptionSpec("smtp-password", .value, help: "SMTP password.", hidden: true),
        OptionSpec("smtp-host", .value, help: "SMTP host.", hidden: true),
        OptionSpec("smtp-port", .value, help: "SMTP port.", hidden: true),
        OptionSpec("smtp-no-tls", help: "No STARTTLS.", hidden: true),
        OptionSpec("notification-email", .value, help: "Notification recipient.", hidden: true),
        OptionSpec("notification-email-from", .value, help: "Notification sender.", hidden: true),
    ]

    public static let all: [OptionSpec] = signIn + download + metadata + pending + ImmichPluginOptions.all
}
