import Foundation

/// Options every Immich step shares: where the server is, the key and the library.
public enum ImmichOptions {
    /// The environment variables every HTTP client reads (for --help and the man pages).
    public static let proxyEnvironment = ("HTTPS_PROXY, https_proxy, http_proxy, ALL_PROXY, NO_PROXY",
                                          "Proxies, as curl reads them.")
    public static let httpEnvironment = [
        ("SSL_CERT_FILE", "PEM certificates to trust instead of the system store when no --ca-file is given (a private CA)."),
        proxyEnvironment,
    ]

    public static let serverURL = PlainOption<String?>(
        "server-url", valueName: "URL", help: "Immich server URL, with or without /api (e.g. http://localhost:2283).",
        environment: "IMMICH_SERVER_URL")
    public static let apiKey = PlainOption<String?>(
        "api-key", valueName: "KEY", help: "Immich API key. Prefer the environment variable: arguments show in ps.",
        environment: "IMMICH_API_KEY")
    public static let caFile = Option<String?>(
        "ca-file", valueName: "PATH",
        help: "Trust the CA certificate(s) in this PEM file for the server's TLS certificate (a reverse proxy with a private CA); default: the system's CAs.",
        environment: "IMMICH_CA_FILE", completion: .file, parse: readableFile)
    public static let connection: [any OptionDeclaration] = [serverURL, apiKey, caFile]

    public static let libraryId = PlainOption<String?>(
        "library-id", valueName: "ID", help: "Id of the external library the photos are in.", environment: "IMMICH_LIBRARY_ID")

    public static let concurrency = Option<Int>(
        "concurrency", valueName: "N",
        help: "Independent requests of a batch in flight at once (lookups, stacks, live links, favourites, albums; \(ImmichConcurrency.range.lowerBound)–\(ImmichConcurrency.range.upperBound)).",
        default: ImmichConcurrency.default, parse: ImmichConcurrency.parse)

    public static let dryRun = Flag("dry-run", help: "Look things up and print on stderr what would change; change nothing.")

    /// Connects and checks the version.
    public static func connect(_ arguments: ParsedArguments) async throws(ToolError) -> ImmichClient {
        guard let url = arguments[serverURL] else {
            throw ToolError.usage("no Immich server: give --server-url or set IMMICH_SERVER_URL")
        }
        return try await ImmichClient.connect(serverURL: url, apiKey: arguments[apiKey] ?? "", http: HTTPClient(caFile: try arguments[caFile]))
    }

    /// A file we can read (checked before any request, so a typo is a usage error, not a TLS one).
    @Sendable static func readableFile(_ text: String, _ name: String) throws(ToolError) -> String {
        guard access(text, R_OK) == 0 else {
            throw .usage("--\(name) \(text): \(String(cString: strerror(errno)))")
        }
        return text
    }
}
