/// The command lines of the pipeline `--plugin immich` runs (DESIGN.md's data flow):
///
///     immich-batch N --log J | immich-scan | [immich-stack] | [immich-fav] | [immich-album] | immich-batch --commit --log J
///
/// Steps not asked for are left out. The server, key and library go to every child through
/// the environment (IMMICH_SERVER_URL, IMMICH_API_KEY, IMMICH_LIBRARY_ID), never as
/// arguments: arguments show in `ps`.
public struct ImmichPipeline: Sendable, Equatable {
    public struct Stage: Sendable, Equatable, CustomStringConvertible {
        public let tool: String
        public let arguments: [String]

        public init(_ tool: String, _ arguments: [String]) {
            self.tool = tool
            self.arguments = arguments
        }

        public var description: String { ([tool] + arguments).map(ShellQuote.quote).joined(separator: " ") }
    }

    public let stages: [Stage]

    public init(_ settings: ImmichPluginSettings, logLevel: String? = nil) {
        let journal = settings.journalPath.map { ["--log", $0] } ?? []
        let dryRun = settings.dryRun ? ["--dry-run"] : []
        let pathMap = settings.pathMap.flatMap { ["--path-map", $0] }
        let concurrency = settings.concurrency == 8 ? [] : ["--concurrency", String(settings.concurrency)]
        let common = (logLevel.map { ["--log-level", $0] } ?? []) + dryRun
        var stages: [Stage] = []

        let size: String
        switch settings.batchSize {
        case .every(let count): size = String(count)
        case .endOfInput: size = "all"
        }
        stages.append(Stage("immich-batch", [size] + journal + common))
        stages.append(Stage("immich-scan", ["--scan-timeout", Self.number(settings.scanTimeout),
                                            "--poll-interval", Self.number(settings.pollInterval)] + pathMap + concurrency + common))
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
            stages.append(Stage("immich-stack", arguments + pathMap + concurrency + common))
        }
        if let favorite = settings.favorite {
            stages.append(Stage("immich-fav", (favorite.sizes.map { [$0.joined(separator: ",")] } ?? []) + pathMap + concurrency + common))
        }
        if !settings.albumRules.isEmpty {
            // --album RULE rather than positionals: a rule may start with '-'.
            stages.append(Stage("immich-album", settings.albumRules.flatMap { ["--album", $0] } + concurrency + common))
        }
        stages.append(Stage("immich-batch", ["--commit"] + journal + common))
        self.stages = stages
    }

    /// The children's environment: ours plus the connection.
    public static func environment(_ settings: ImmichPluginSettings, base: [String: String]) -> [String: String] {
        var environment = base
        environment["IMMICH_SERVER_URL"] = settings.serverURL
        environment["IMMICH_API_KEY"] = settings.apiKey
        environment["IMMICH_LIBRARY_ID"] = settings.libraryId
        return environment
    }

    /// 60.0 → "60", 0.5 → "0.5".
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The pipeline as a shell would show it (for the log; holds no secret).
    public var description: String { stages.map(\.description).joined(separator: " | ") }
}
