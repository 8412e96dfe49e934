/// Options every Immich step shares: where the server is, the key and the library.
public enum ImmichOptions {
    public static let connection: [OptionSpec] = [
        OptionSpec("server-url", .value, valueName: "URL", help: "Immich server URL, with or without /api (e.g. http://localhost:2283).",
                   environment: "IMMICH_SERVER_URL"),
        OptionSpec("api-key", .value, valueName: "KEY", help: "Immich API key. Prefer the environment variable: arguments show in ps.",
                   environment: "IMMICH_API_KEY"),
    ]

    public static let library = OptionSpec(
        "library-id", .value, valueName: "ID", help: "Id of the external library the photos are in.", environment: "IMMICH_LIBRARY_ID")

    public static let concurrency = OptionSpec(
        "concurrency", .value, valueName: "N", help: "Independent requests of a batch in flight at once (stacks, live links, favourites, albums).",
        default: "8")

    /// `--concurrency`: 1…64.
    public static func concurrency(_ arguments: ParsedArguments) throws(ToolError) -> Int {
        guard let raw = arguments.value("concurrency") else { return 8 }
        guard let value = Int(raw), (1...64).contains(value) else {
            throw ToolError.usage("invalid --concurrency '\(raw)': expected a whole number from 1 to 64")
        }
        return value
    }

    public static let dryRun = OptionSpec("dry-run", help: "Look things up and print on stderr what would change; change nothing.")

    /// Connects and checks the version; `action` names what the command needs the server for.
    public static func connect(_ arguments: ParsedArguments) async throws(ToolError) -> ImmichClient {
        guard let url = arguments.value("server-url") else {
            throw ToolError.usage("no Immich server: give --server-url or set IMMICH_SERVER_URL")
        }
        return try await ImmichClient.connect(serverURL: url, apiKey: arguments.value("api-key") ?? "")
    }

    public static func seconds(_ arguments: ParsedArguments, _ name: String, default value: Double) throws(ToolError) -> Double {
        guard let raw = arguments.value(name) else { return value }
        guard let seconds = Double(raw), seconds.isFinite, seconds >= 0 else {
            throw ToolError.usage("invalid --\(name) '\(raw)': expected a number of seconds ≥ 0")
        }
        return seconds
    }
}
