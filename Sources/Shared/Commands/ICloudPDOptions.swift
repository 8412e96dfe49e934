import Foundation

/// icloudpd 1.32's command line as one option table (docs/references.md#icloudpd-command-line).
/// Values icloudpd checks with argparse give argparse's messages. Options not implemented yet are
/// recognised (and kept out of --help) so a user gets "not implemented yet" instead of having them
/// silently ignored.
public enum ICloudPDOptions {
    public enum PasswordProvider: String, Sendable, CaseIterable { case console, keyring, parameter, webui }
    public enum MFAProvider: String, Sendable, CaseIterable { case console, webui }
    /// icloudpd's own levels (no `warning`).
    public enum LogLevelName: String, Sendable, CaseIterable { case debug, info, error }

    // MARK: sign-in (working)

    static let username = PlainOption<[String]>("username", short: "u", valueName: "APPLE_ID", help: "Your iCloud username or email address.")
    static let password = PlainOption<String?>(
        "password", short: "p", valueName: "PASSWORD",
        help: "Your iCloud password (default: ask on the terminal). Prefer ICLOUD_PASSWORD: a command line is visible to other users.",
        environment: "ICLOUD_PASSWORD")
    static let authOnly = Flag("auth-only", help: "Create/update the cookie and session tokens only, then exit.")
    static let cookieDirectory = PlainOption<String>(
        "cookie-directory", valueName: "DIR", help: "Directory to store cookies for authentication.",
        default: SessionStore.defaultDirectory, completion: .directory)
    static let domain = Option<AuthEndpoints.Domain>(
        "domain", valueName: "DOMAIN", help: "What iCloud root domain to use: com, or cn for mainland China.", default: .com,
        lowercase: false)
    static let passwordProvider = Option<[PasswordProvider]>(
        "password-provider", valueName: "PROVIDER",
        help: "Where to get the password from, in order: parameter (--password or ICLOUD_PASSWORD), console (a prompt), webui (the web page of --webui-listen); keyring is not implemented yet.",
        default: [.parameter, .keyring, .console])
    static let mfaProvider = Option<MFAProvider>(
        "mfa-provider", valueName: "PROVIDER",
        help: "Where to get the two-factor code from: console (the terminal, or stdin when it is not a terminal) or webui (the web page of --webui-listen, which asks again after a wrong code).",
        default: .console)
    static let webuiListen = PlainOption<String>(
        "webui-listen", valueName: "HOST:PORT",
        help: "Where the web page of --mfa-provider webui / --password-provider webui listens (port 0: any free port). Unlike icloudpd's 0.0.0.0, only this machine by default; give 0.0.0.0:8080 to reach it from the network.",
        default: "127.0.0.1:8080")
    static let notificationScript = PlainOption<String?>(
        "notification-script", valueName: "PATH",
        help: "Run this executable (no arguments, no shell, without ICLOUD_PASSWORD or IMMICH_API_KEY in its environment) each time a two-factor code is needed, before asking for it, and in watch mode when an iteration fails or the first one after works again; ICLOUDPD_EVENT (code-needed, iteration-failed, recovered) and ICLOUDPD_MESSAGE say why. Its exit status is ignored.",
        completion: .file)
    static let logLevel = Option<LogLevelName>(
        "log-level", valueName: "LEVEL", help: "Log level: debug, info or error. Logs go to stdout, as icloudpd's do.", default: .debug)
    static let directory = PlainOption<String?>("directory", short: "d", valueName: "DIR", help: "Local directory for downloads.", completion: .directory)

    public static let signIn: [any OptionDeclaration] = [
        username, password, authOnly, cookieDirectory, domain, passwordProvider, mfaProvider, webuiListen, notificationScript, logLevel, directory,
    ]

    // MARK: listing and downloading (working)

    static let size = Option<[AssetVersionSize]>(
        "size", valueName: "SIZE", help: "Image size to download: original, medium, thumb, adjusted or alternative (repeatable).",
        default: [.original], choices: [.original, .medium, .thumb, .adjusted, .alternative])
    static let livePhotoSize = Option<LivePhotoVersionSize>(
        "live-photo-size", valueName: "SIZE", help: "Live Photo video size to download: original, medium or thumb.", default: .original)
    static let recent = Option<Int?>("recent", valueName: "N", help: "Number of recent photos to download.", parse: integer(minimum: 0))
    static let untilFound = Option<Int?>(
        "until-found", valueName: "N",
        help: "Stop after N consecutive files were found already downloaded (icloudpd counts files, not photos).",
        parse: integer(minimum: 0))
    static let album = PlainOption<[String]>("album", short: "a", valueName: "ALBUM", help: "Album(s) to download (default: the whole library).")
    static let listAlbums = Flag("list-albums", short: "l", help: "List the available albums.")
    static let library = PlainOption<String>("library", valueName: "LIBRARY", help: "Library (zone) to download.", default: PhotoLibraryZone.primary.name)
    static let listLibraries = Flag("list-libraries", help: "List the available libraries.")
    static let skipVideos = Flag("skip-videos", help: "Don't download videos.")
    static let skipPhotos = Flag("skip-photos", help: "Don't download photos.")
    static let skipLivePhotos = Flag("skip-live-photos", help: "Don't download the video part of live photos.")
    static let forceSize = Flag("force-size", help: "Only download the requested size (no fallback to original for medium/thumb).")
    static let folderStructure = PlainOption<String>(
        "folder-structure", valueName: "FORMAT",
        help: "Folder structure, a Python format of the date; none puts every file in the directory.", default: FolderStructure.default.template)
    static let useOSLocale = Flag(
        "use-os-locale", help: "Folder names in the host's locale (LC_ALL/LC_TIME/LANG); refused when they would differ from the C locale's.")
    static let dryRun = Flag("dry-run", help: "Do not modify the local system or iCloud (and send no download requests).")
    static let onlyPrintFilenames = Flag("only-print-filenames", help: "Only print the paths of the files that would be downloaded.")
    static let keepUnicode = Flag("keep-unicode-in-filenames", help: "Keep unicode characters in file names.")
    static let livePhotoMovFilenamePolicy = Option<LivePhotoMovFilenamePolicy>(
        "live-photo-mov-filename-policy", valueName: "POLICY",
        help: "Live photo video naming: suffix (IMG_1_HEVC.MOV for HEIC) or original.", default: .suffix)
    static let alignRaw = Option<RawTreatmentPolicy>(
        "align-raw", valueName: "POLICY", help: "RAW+JPEG treatment: as-is, original or alternative.", default: .asIs)
    static let fileMatchPolicy = Option<FileMatchPolicy>(
        "file-match-policy", valueName: "POLICY",
        help: "Existing-file matching: name-size-dedup-with-suffix or name-id7.", default: .nameSizeDedupWithSuffix)
    static let skipCreatedBefore = Option<Date?>(
        "skip-created-before", valueName: "DATE", help: "Skip photos created before DATE (ISO date/time, or Nd = N days ago).", parse: date)
    static let skipCreatedAfter = Option<Date?>(
        "skip-created-after", valueName: "DATE", help: "Skip photos created after DATE (ISO date/time, or Nd = N days ago).", parse: date)
    static let threadsNum = Option<Int>(
        "threads-num", valueName: "N", help: "Files downloaded at once (icloudpd ignores this option; we honour it).",
        default: DownloadSettings.defaultThreads, parse: integer(minimum: 1))
    static let noProgressBar = Flag("no-progress-bar", help: "No progress line (it is shown on stderr only when that is a terminal).")
    static let watchWithInterval = Option<Int?>(
        "watch-with-interval", valueName: "SECONDS", help: "Run again every SECONDS seconds.", parse: integer(minimum: 1))
    static let statusFile = PlainOption<String?>(
        "status-file", valueName: "PATH",
        help: "After every iteration, rewrite PATH atomically with a JSON status: last start and end, outcome, counts, last error, next start.",
        completion: .file)
    static let stateDB = PlainOption<String?>(
        "state-db", valueName: "PATH",
        help: "The incremental-sync state database (default: <cookie-directory>/<account>.<library>.state.sqlite).", completion: .file)
    static let fullListing = Flag("full-listing", help: "List the whole library this run instead of asking iCloud what changed.")
    static let records = PlainOption<ParsedArguments.OptionalValue>(
        "records", valueName: "FILE",
        help: "Write one photo record (JSON) per photo handled to stdout, or to FILE; logs then go to stderr.", completion: .file)

    public static let download: [any OptionDeclaration] = [
        size, livePhotoSize, recent, untilFound, album, listAlbums, library, listLibraries, skipVideos, skipPhotos, skipLivePhotos,
        forceSize, folderStructure, useOSLocale, dryRun, onlyPrintFilenames, keepUnicode, livePhotoMovFilenamePolicy, alignRaw,
        fileMatchPolicy, skipCreatedBefore, skipCreatedAfter, threadsNum, noProgressBar, watchWithInterval, statusFile, stateDB, fullListing,
        records,
    ]

    // MARK: metadata next to and inside the downloaded files (docs/icloudpd-download.md)

    static let setExifDatetime = Flag(
        "set-exif-datetime", help: "Write EXIF DateTimeOriginal into downloaded JPEGs that lack it (changes their size, as in icloudpd).")
    static let xmpSidecar = Flag(
        "xmp-sidecar", help: "Write an XMP sidecar (<file>.xmp) next to every downloaded or existing photo, as icloudpd does.")
    /// argparse: `type=int`, choices 0-5, const 5 when given without a value.
    static let favoriteToRating = Option<Int?>(
        "favorite-to-rating", valueName: "0-5",
        help: "XMP rating of favourites (default 5 when given without a value); written into the XMP sidecar, never into the media file.",
        completion: .values(["0", "1", "2", "3", "4", "5"])) { text, name throws(ToolError) in
            guard let rating = text.map({ Int($0) }) ?? 5 else { throw .usage("argument --\(name): invalid int value: '\(text ?? "")'") }
            guard (0...5).contains(rating) else { throw .usage("argument --\(name): invalid choice: \(rating) (choose from 0, 1, 2, 3, 4, 5)") }
            return rating
        }
    static let processExistingFavorites = Flag(
        "process-existing-favorites",
        help: "Also write the favourite rating for files already downloaded; with --plugin immich, register and favourite existing iCloud favourites (only that).")
    static let autoDelete = Flag(
        "auto-delete", help: "After downloading, delete the local files (and .xmp sidecars) of photos in Recently Deleted, named as icloudpd names them.")
    static let metadataOverwrite = Flag(
        "metadata-overwrite", help: "Overwrite XMP sidecars written by other tools, and an existing EXIF DateTimeOriginal.")

    public static let metadata: [any OptionDeclaration] = [
        setExifDatetime, xmpSidecar, favoriteToRating, processExistingFavorites, autoDelete, metadataOverwrite,
    ]

    // MARK: real icloudpd options this build does not implement: refused with a clear message

    static let deleteAfterDownload = Flag("delete-after-download", help: "Delete the photo in iCloud after downloading.", hidden: true)
    static let keepICloudRecentDays = PlainOption<String?>(
        "keep-icloud-recent-days", valueName: "DAYS", help: "Keep photos newer than this in iCloud.", hidden: true)

    public static let pending: [any OptionDeclaration] = [
        deleteAfterDownload, keepICloudRecentDays,
        PlainOption<String?>("smtp-username", help: "SMTP username.", hidden: true),
        PlainOption<String?>("smtp-password", help: "SMTP password.", hidden: true),
        PlainOption<String?>("smtp-host", help: "SMTP host.", hidden: true),
        PlainOption<String?>("smtp-port", help: "SMTP port.", hidden: true),
        Flag("smtp-no-tls", help: "No STARTTLS.", hidden: true),
        PlainOption<String?>("notification-email", help: "Notification recipient.", hidden: true),
        PlainOption<String?>("notification-email-from", help: "Notification sender.", hidden: true),
    ]

    public static let all: [any OptionDeclaration] = signIn + download + metadata + pending + ImmichPluginOptions.all

    // MARK: argparse's conversions

    /// `type=int` with a lower bound: `argument --NAME: invalid int value: 'TEXT'`.
    static func integer(minimum: Int) -> @Sendable (String, String) throws(ToolError) -> Int {
        { text, name throws(ToolError) in
            guard let number = Int(text), number >= minimum else { throw .usage("argument --\(name): invalid int value: '\(text)'") }
            return number
        }
    }

    /// An ISO date or time, or `Nd` (N days ago).
    @Sendable static func date(_ text: String, _ name: String) throws(ToolError) -> Date {
        guard let date = AssetFilter.parseDate(text) else { throw .usage("Not an ISO timestamp or time interval in days") }
        return date
    }
}
