/// icloudpd 1.32's command line as one option table (reference §2). The sign-in options work
/// now; the download, listing, notification and watch options are real icloudpd options that
/// later issues implement: they are recognised (and kept out of --help until they work) so
/// a user gets "not implemented yet" instead of having them silently ignored.
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
        OptionSpec("log-level", .value, valueName: "LEVEL", help: "Log level: debug, info or error. Logs go to stdout, as icloudpd's do.",
                   default: "debug", completion: .values(logLevels)),
        OptionSpec("directory", short: "d", .value, valueName: "DIR",
                   help: "Local directory for downloads; downloading is not implemented yet, so it is only accepted with --auth-only.",
                   completion: .directory),
    ]

    /// Accepted and ignored, as icloudpd ignores them here.
    public static let harmless: [OptionSpec] = [
        OptionSpec("threads-num", .value, valueName: "N", help: "Deprecated in icloudpd; ignored.", hidden: true),
        OptionSpec("no-progress-bar", help: "Disable the progress bar.", hidden: true),
        OptionSpec("use-os-locale", help: "Use the locale of the host OS to format dates.", hidden: true),
    ]

    /// Download options: meaningless with --auth-only (icloudpd ignores them then), not
    /// implemented otherwise.
    public static let download: [OptionSpec] = [
        OptionSpec("size", .repeated, valueName: "SIZE", help: "Image size to download.", completion: .values(sizes), hidden: true),
        OptionSpec("live-photo-size", .value, valueName: "SIZE", help: "Live Photo video size to download.", hidden: true),
        OptionSpec("recent", .value, valueName: "N", help: "Number of recent photos to download.", hidden: true),
        OptionSpec("until-found", .value, valueName: "N", help: "Download until N consecutive photos are found.", hidden: true),
        OptionSpec("album", short: "a", .repeated, valueName: "ALBUM", help: "Album(s) to download.", hidden: true),
        OptionSpec("library", .value, valueName: "LIBRARY", help: "Library to download.", hidden: true),
        OptionSpec("skip-videos", help: "Don't download videos.", hidden: true),
        OptionSpec("skip-photos", help: "Don't download photos.", hidden: true),
        OptionSpec("skip-live-photos", help: "Don't download live photos.", hidden: true),
        OptionSpec("xmp-sidecar", help: "Export XMP sidecar files.", hidden: true),
        OptionSpec("force-size", help: "Only download the requested size.", hidden: true),
        OptionSpec("auto-delete", help: "Delete local files that are in Recently Deleted.", hidden: true),
        OptionSpec("folder-structure", .value, valueName: "FORMAT", help: "Folder structure.", hidden: true),
        OptionSpec("set-exif-datetime", help: "Write the DateTimeOriginal EXIF tag.", hidden: true),
        OptionSpec("delete-after-download", help: "Delete the photo in iCloud after downloading.", hidden: true),
        OptionSpec("keep-icloud-recent-days", .value, valueName: "DAYS", help: "Keep photos newer than this in iCloud.", hidden: true),
        OptionSpec("dry-run", help: "Do not modify the local system or iCloud.", hidden: true),
        OptionSpec("keep-unicode-in-filenames", help: "Keep unicode characters in file names.", hidden: true),
        OptionSpec("live-photo-mov-filename-policy", .value, valueName: "POLICY", help: "Live photo video file naming.", hidden: true),
        OptionSpec("align-raw", .value, valueName: "POLICY", help: "RAW treatment.", hidden: true),
        OptionSpec("file-match-policy", .value, valueName: "POLICY", help: "File de-duplication policy.", hidden: true),
        OptionSpec("skip-created-before", .value, valueName: "DATE", help: "Skip assets created before.", hidden: true),
        OptionSpec("skip-created-after", .value, valueName: "DATE", help: "Skip assets created after.", hidden: true),
    ]

    /// Not implemented in any mode yet.
    public static let pending: [OptionSpec] = [
        OptionSpec("list-albums", short: "l", help: "List the available albums.", hidden: true),
        OptionSpec("list-libraries", help: "List the available libraries.", hidden: true),
        OptionSpec("only-print-filenames", help: "Only print the file names.", hidden: true),
        OptionSpec("watch-with-interval", .value, valueName: "SECONDS", help: "Run every N seconds.", hidden: true),
        OptionSpec("smtp-username", .value, help: "SMTP username.", hidden: true),
        OptionSpec("smtp-password", .value, help: "SMTP password.", hidden: true),
        OptionSpec("smtp-host", .value, help: "SMTP host.", hidden: true),
        OptionSpec("smtp-port", .value, help: "SMTP port.", hidden: true),
        OptionSpec("smtp-no-tls", help: "No STARTTLS.", hidden: true),
        OptionSpec("notification-email", .value, help: "Notification recipient.", hidden: true),
        OptionSpec("notification-email-from", .value, help: "Notification sender.", hidden: true),
        OptionSpec("notification-script", .value, help: "Script run when 2FA is needed.", hidden: true),
        OptionSpec("records", help: "Write photo records to stdout.", hidden: true),
        OptionSpec("favorite-to-rating", .optionalValue, valueName: "0-5", help: "XMP rating of favourites.", hidden: true),
    ]

    public static let all: [OptionSpec] = signIn + harmless + download + pending + ImmichPluginOptions.all
}
