import Foundation

/// What `--plugin immich` and its options ask for, checked for well-formedness (no network):
/// each bad value is a usage error naming the option, before anything is downloaded.
public struct ImmichPluginSettings: Sendable, Equatable {
    /// What happens to photos whose files were all on disk already.
    public enum ExistingPhotos: Sendable, Equatable {
        /// Left out of the pipeline (the default).
        case skip
        /// The whole pipeline (`--immich-process-existing`).
        case process
        /// iCloud favourites get scan + favourite only; the others are left out (`--process-existing-favorites`).
        case favoritesOnly
    }

    public var serverURL: String
    /// Goes to the children through IMMICH_API_KEY only, never as an argument or into a log.
    public var apiKey: String
    public var libraryId: String
    /// PEM file of a private CA to trust for Immich (`--immich-ca-file`); children get IMMICH_CA_FILE.
    public var caFile: String?
    public var batchSize: JournalBatchSize = .default
    /// nil: immich-batch's default (~/.pyicloud/immich_pending_files.json).
    public var journalPath: String?
    public var scanTimeout: Seconds = LibraryScanner.defaultTimeout
    public var pollInterval: Seconds = LibraryScanner.defaultPollInterval
    /// Each step's `--concurrency` (passed only when not the steps' default).
    public var concurrency = ImmichConcurrency.default
    /// `LOCAL=SERVER` as given (already checked).
    public var pathMap: [String] = []
    /// nil: no stacking; `.all`: every size.
    public var stack: SizeList?
    public var liveLinks: SizeList?
    public var favorite: SizeList?
    /// `immich-fav --mirror` (`--immich-favorite-mirror`).
    public var favoriteMirror = false
    /// `immich-trash` in the pipeline (`--immich-delete-removed`).
    public var deleteRemoved = false
    public var albumRules: [String] = []
    /// `immich-album --mirror` (`--immich-album-mirror`).
    public var albumMirror = false
    public var existing: ExistingPhotos = .skip
    public var dryRun = false

    public init(serverURL: String, apiKey: String, libraryId: String) {
        self.serverURL = serverURL
        self.apiKey = apiKey
        self.libraryId = libraryId
    }

    /// nil without `--plugin`. Throws a usage error for any ill-formed value or combination.
    public static func parse(_ arguments: ParsedArguments) throws(ToolError) -> ImmichPluginSettings? {
        typealias Options = ImmichPluginOptions
        guard let plugin = arguments[Options.plugin] else {
            // The plugin's options exist only with --plugin immich; silently ignoring them would
            // leave a user wondering why Immich never changes.
            if let stray = Options.pluginOnly.first(where: { arguments.isSet($0) }) {
                throw .usage("--\(stray.spec.name) needs --plugin immich")
            }
            return nil
        }
        guard plugin.lowercased() == "immich" else {
            throw .usage("argument --plugin: invalid choice: '\(plugin)' (choose from 'immich')")
        }
        func required(_ option: PlainOption<String?>) throws(ToolError) -> String {
            guard let value = arguments[option]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                throw .usage("--plugin immich needs --\(option.name) (or \(option.spec.environment ?? ""))")
            }
            return value
        }
        var settings = ImmichPluginSettings(
            serverURL: try required(Options.serverURL),
            apiKey: try required(Options.apiKey),
            libraryId: try required(Options.libraryId))
        Log.shared.redact(settings.apiKey)
        _ = try checked(Options.serverURL.name) { () throws(ToolError) in try ImmichClient.normalize(serverURL: settings.serverURL) }
        guard UUID(uuidString: settings.libraryId) != nil else {
            throw .usage("--immich-library-id '\(settings.libraryId)' is not a library id (a UUID); list the libraries with: curl -H 'x-api-key: …' \(settings.serverURL)/api/libraries")
        }

        settings.caFile = try arguments[Options.caFile]
        settings.batchSize = try arguments[Options.batchProcess]
        // Not given: immich-batch's own default (no --log on its command line).
        if arguments.isSet(Options.batchLogFile), case let path = arguments[Options.batchLogFile], !path.isEmpty {
            settings.journalPath = path
        }
        settings.scanTimeout = try arguments[Options.scanTimeout]
        settings.pollInterval = try arguments[Options.pollInterval]
        if settings.pollInterval == 0 { throw .usage("--\(Options.pollInterval.name) must be more than 0 seconds") }
        settings.concurrency = try arguments[Options.concurrency]
        settings.pathMap = arguments[Options.pathMap]
        let pathMap = settings.pathMap
        _ = try checked(Options.pathMap.name, child: ImmichStepOptions.pathMap.name) { () throws(ToolError) in try PathMapping(arguments: pathMap) }

        settings.stack = try arguments[Options.stackMedia]
        settings.liveLinks = try arguments[Options.associateLive]
        settings.favorite = try arguments[Options.favorite]
        settings.favoriteMirror = arguments[Options.favoriteMirror]
        if settings.favoriteMirror && settings.favorite == nil {
            throw .usage("--immich-favorite-mirror needs --immich-favorite (the sizes to mark and unmark)")
        }
        settings.deleteRemoved = arguments[Options.deleteRemoved]
        settings.albumRules = arguments[Options.album]
        for rule in settings.albumRules { _ = try checked(Options.album.name) { () throws(ToolError) in try AlbumRule(rule) } }
        settings.albumMirror = arguments[Options.albumMirror]
        if settings.albumMirror && settings.albumRules.isEmpty { throw .usage("--immich-album-mirror needs an --immich-album rule") }

        let processExisting = arguments[Options.processExisting]
        let existingFavorites = arguments[ICloudPDOptions.processExistingFavorites]
        if processExisting && existingFavorites {
            throw .usage("--immich-process-existing and --process-existing-favorites cannot be used together: the first already processes every existing photo fully")
        }
        settings.existing = processExisting ? .process : existingFavorites ? .favoritesOnly : .skip
        if existingFavorites && settings.favorite == nil {
            Log.warning("--process-existing-favorites does nothing without --immich-favorite: existing photos are left alone")
        }
        settings.dryRun = arguments[ICloudPDOptions.dryRun]
        return settings
    }
}

extension ImmichPluginSettings {
    /// Runs a step's own check and names our option in its message (the steps name theirs).
    static func checked<T>(_ option: String, child: String? = nil, _ body: () throws(ToolError) -> T) throws(ToolError) -> T {
        do {
            return try body()
        } catch {
            var message = error.message
            if let child { message = message.replacingOccurrences(of: "--\(child)", with: "--\(option)") }
            if !message.contains("--\(option)") { message = "--\(option): " + message }
            throw ToolError(error.code, message)
        }
    }
}
