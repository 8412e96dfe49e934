/// The command lines of the pipeline `--plugin immich` runs (docs/design.md#commands-and-records):
///
///     immich-batch N --log J | immich-scan | [immich-stack] | [immich-fav] | [immich-album] | [immich-trash] | immich-batch --commit --log J
///
/// Steps not asked for are left out. The server, key and library go to every child through
/// the environment (IMMICH_SERVER_URL, IMMICH_API_KEY, IMMICH_LIBRARY_ID), never as
/// arguments: arguments show in `ps`.
public struct ImmichPipeline: Sendable, Equatable {
    public struct Stage: Sendable, Equatable, CustomStringConvertible {
        public let tool: String
        public let arguments: [String]

        public init(_ step: ImmichStep, _ arguments: [String]) {
            self.tool = step.command
            self.arguments = arguments
        }

        public var description: String { ([tool] + arguments).map(ShellQuote.quote).joined(separator: " ") }
    }

    public let stages: [Stage]

    public init(_ settings: ImmichPluginSettings, logLevel: String? = nil) {
        let journal = settings.journalPath.map { ["--log", $0] } ?? []
        let dryRun = settings.dryRun ? ["--dry-run"] : []
        let pathMap = settings.pathMap.flatMap { ["--path-map", $0] }
        let concurrency = settings.concurrency == ImmichConcurrency.default ? [] : ["--concurrency", String(settings.concurrency)]
        let common = (logLevel.map { ["--log-level", $0] } ?? []) + dryRun
        var stages: [Stage] = []

        stages.append(Stage(.batch, [settings.batchSize.helpText] + journal + common))
        stages.append(Stage(.scan, ["--scan-timeout", settings.scanTimeout.helpText,
                                    "--poll-interval", settings.pollInterval.helpText] + pathMap + concurrency + common))
        if settings.stack != nil || settings.liveLinks != nil {
            var arguments: [String] = []
            if let stack = settings.stack {
                // SIZES is immich-stack's positional; it goes first so the optional-value
                // option after it cannot swallow it.
                if let sizes = stack.sizes { arguments.append(sizes.joined(separator: ",")) }
            } else {
                arguments.append("--no-stack")
            }
            if let live = settings.liveLinks {
                arguments.append(live.sizes.map { "--associate-live-with-extra-sizes=" + $0.joined(separator: ",") }
                                 ?? "--associate-live-with-extra-sizes")
            }
            stages.append(Stage(.stack, arguments + pathMap + concurrency + common))
        }
        if let favorite = settings.favorite {
            let mirror = settings.favoriteMirror ? ["--mirror"] : []
            stages.append(Stage(.fav, (favorite.sizes.map { [$0.joined(separator: ",")] } ?? []) + mirror + pathMap + concurrency + common))
        }
        if !settings.albumRules.isEmpty {
            // --album RULE rather than positionals: a rule may start with '-'.
            // The album state sits beside the journal (immich-album's default beside the default one).
            stages.append(Stage(.album, settings.albumRules.flatMap { ["--album", $0] } + (settings.albumMirror ? ["--mirror"] : [])
                                + (settings.journalPath.map { ["--state", AlbumClaims.location(besideJournal: $0)] } ?? []) + concurrency + common))
        }
        // Last before the commit: every other step has seen a deleted photo before its assets go.
        if settings.deleteRemoved { stages.append(Stage(.trash, pathMap + concurrency + common)) }
        stages.append(Stage(.batch, ["--commit"] + journal + common))
        self.stages = stages
    }

    /// The children's environment: ours plus the connection.
    public static func environment(_ settings: ImmichPluginSettings, base: [String: String]) -> [String: String] {
        var environment = base
        environment["IMMICH_SERVER_URL"] = settings.serverURL
        environment["IMMICH_API_KEY"] = settings.apiKey
        environment["IMMICH_LIBRARY_ID"] = settings.libraryId
        if let caFile = settings.caFile { environment["IMMICH_CA_FILE"] = caFile }
        return environment
    }

    /// The pipeline as a shell would show it (for the log; holds no secret).
    public var description: String { stages.map(\.description).joined(separator: " | ") }
}
