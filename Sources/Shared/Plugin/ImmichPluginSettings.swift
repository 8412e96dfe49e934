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
    public var batchSize: JournalBatchSize = .every(1)
    /// nil: immich-batch's default (~/.pyicloud/immich_pending_files.json).
    public var journalPath: String?
    public var scanTimeout: Double = 5
    public var pollInterval: Double = 1
    /// Each step's `--concurrency` (passed only when not the steps' default).
    public var concurrency = 8
    /// `LOCAL=SERVER` as given (already checked).
    public var pathMap: [String] = []
    /// nil: no stacking; `.all`: every size.
    public var stack: SizeList?
    public var liveLinks: SizeList?
    public var favorite: SizeList?
    public var albumRules: [String] = []
    public var existing: ExistingPhotos = .skip
    public var dryRun = false

    public init(serverURL: String, apiKey: String, libraryId: String) {
        self.serverURL = serverURL
        self.apiKey = apiKey
        self.libraryId = libraryId
    }

    /// nil without `--plugin`. Throws a usage error for any ill-formed value or combination.
    public static func parse(_ arguments: ParsedArguments) throws(ToolError) -> ImmichPluginSettings? {
        guard let plugin = arguments.value("plugin") else {
            // The seed's options exist only with --plugin immich; silently ignoring them would
            // leave a user wondering why Immich never changes.
            if let stray = ImmichPluginOptions.pluginOnly.first(where: { arguments.isSet($0.name) }) {
                throw .usage("--\(stray.name) needs --plugin immich")
            }
            return nil
        }
        guard plugin.lowercased() == "immich" else {
            throw .usage("argument --plugin: invalid choice: '\(plugin)' (choose from 'immich')")
        }
        func required(_ name: String, _ variable: String) throws(ToolError) -> String {
            guard let value = arguments.value(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                throw .usage("--plugin immich needs --\(name) (or \(variable))")
            }
            return value
        }
        var settings = ImmichPluginSettings(
            serverURL: try required("immich-server-url", "IMMICH_SERVER_URL"),
            apiKey: try required("immich-api-key", "IMMICH_API_KEY"),
            libraryId: try required("immich-library-id", "IMMICH_LIBRARY_ID"))
        Log.shared.redact(settings.apiKey)
        _ = try checked("immich-server-url") { () throws(ToolError) in try ImmichClient.normalize(serverURL: settings.serverURL) }
        guard UUID(uuidString: settings.libraryId) != nil else {
            throw .usage("--immich-library-id '\(settings.libraryId)' is not a library id (a UUID); list the libraries with: curl -H 'x-api-key: …' \(settings.serverURL)/api/libraries")
        }

        switch arguments.optionalValue("immich-batch-process") {
        case .absent: settings.batchSize = .every(1)
        case .present(nil): settings.batchSize = .endOfInput
        case .present(let text?): settings.batchSize = try checked("immich-batch-process") { () throws(ToolError) in try JournalBatchSize.parse(text) }
        }
        if let path = arguments.value("immich-batch-log-file"), !path.isEmpty { settings.journalPath = path }
        settings.scanTimeout = try seconds(arguments, "immich-scan-timeout", default: 5)
        settings.pollInterval = try seconds(arguments, "immich-poll-interval", default: 1)
        if settings.pollInterval == 0 { throw .usage("--immich-poll-interval must be more than 0 seconds") }
        if let raw = arguments.value("immich-concurrency") {
            guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), (1...64).contains(value) else {
                throw .usage("invalid --immich-concurrency '\(raw)': expected a whole number from 1 to 64")
            }
            settings.concurrency = value
        }
        settings.pathMap = arguments.values("immich-path-map")
        let pathMap = settings.pathMap
        _ = try checked("immich-path-map", child: "path-map") { () throws(ToolError) in try PathMapping(arguments: pathMap) }

        settings.stack = try sizes(arguments, "immich-stack-media")
        settings.liveLinks = try sizes(arguments, "associate-live-with-extra-sizes")
        settings.favorite = try sizes(arguments, "immich-favorite")
        settings.albumRules = arguments.values("immich-album")
        for rule in settings.albumRules { _ = try checked("immich-album") { () throws(ToolError) in try AlbumRule(rule) } }

        let processExisting = arguments.flag("immich-process-existing")
        let existingFavorites = arguments.flag("process-existing-favorites")
        if processExisting && existingFavorites {
            throw .usage("--immich-process-existing and --process-existing-favorites cannot be used together: the first already processes every existing photo fully")
        }
        settings.existing = processExisting ? .process : existingFavorites ? .favoritesOnly : .skip
        if existingFavorites && settings.favorite == nil {
            Log.warning("--process-existing-favorites does nothing without --immich-favorite: existing photos are left alone")
        }
        settings.dryRun = arguments.flag("dry-run")
        return settings
    }

    static func sizes(_ arguments: ParsedArguments, _ name: String) throws(ToolError) -> SizeList? {
        switch arguments.optionalValue(name) {
        case .absent: return nil
        case .present(let list): return try SizeList.parse(list, what: "--\(name)")
        }
    }

    /// A number of seconds ≥ 0 (0 = no limit for the scan timeout, as in the seed).
    static func seconds(_ arguments: ParsedArguments, _ name: String, default value: Double) throws(ToolError) -> Double {
        guard let raw = arguments.value(name) else { return value }
        guard let seconds = Double(raw.trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds >= 0 else {
            throw .usage("invalid --\(name) '\(raw)': expected a number of seconds ≥ 0")
        }
        return seconds
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
