import Foundation

/// `icloudpd`: the iCloud Photos downloader, command-line compatible with icloudpd 1.32.
/// This part signs in and keeps the session; downloading comes next.
public enum ICloudPDCommand {
    public static let spec = CommandSpec(
        name: "icloudpd",
        summary: "download iCloud Photos (icloudpd-compatible; this build signs in and keeps the session)",
        usage: "icloudpd --username APPLE_ID [--password PASSWORD] --auth-only [options]",
        discussion: """
            Signs in to iCloud the way Apple's web sign-in does (SRP, two-factor code, trusted browser) and keeps \
            the session in --cookie-directory in icloudpd's own file format, so icloudpd and this tool can share it. \
            A later run reuses the saved session and asks for nothing. The two-factor code is read from the terminal, \
            or from stdin when stdin is not a terminal (echo 123456 | icloudpd …). \
            Download, listing, notification and watch options of icloudpd are recognised but not implemented yet.
            Testing aids: ICLOUDPD_AUTH_ROOT_ENDPOINT, ICLOUDPD_AUTH_ENDPOINT, ICLOUDPD_SETUP_ENDPOINT and \
            ICLOUDPD_HOME_ENDPOINT replace Apple's endpoint bases (e.g. with photos-sandbox --icloud).
            """,
        options: ICloudPDOptions.all,
        examples: [
            ("icloudpd --username jdoe@example.com --auth-only",
             "Sign in (asking for the password and a two-factor code on the terminal) and save the session in ~/.pyicloud."),
            ("ICLOUD_PASSWORD=… icloudpd -u jdoe@example.com --auth-only --cookie-directory ~/.icloud < code.txt",
             "Sign in without a terminal, reading the two-factor code from a file."),
        ],
        standardOptions: CommandSpec.standardOptions.filter { $0.name != "log-level" })

    /// The thin mains call this: no arguments at all means --help, as in icloudpd.
    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        await CommandMain.run(spec, arguments: arguments.isEmpty ? ["--help"] : arguments) { try await run($0) }
    }

    public static func run(_ arguments: ParsedArguments) async throws -> ExitCode {
        // icloudpd logs to stdout with Python logging's format; errors still go to stderr.
        Log.shared.style = .timestamped
        Log.shared.logFileDescriptor = 1
        if let password = arguments.value("password") { Log.shared.redact(password) }
        let level = try choice(arguments, "log-level", ICloudPDOptions.logLevels, lowercase: true) ?? "debug"
        Log.shared.level = LogLevel(name: level) ?? .debug

        let domainName = try choice(arguments, "domain", ["com", "cn"], lowercase: false) ?? "com"
        let providers = try providerList(arguments)
        let mfaProvider = try choice(arguments, "mfa-provider", ICloudPDOptions.mfaProviders, lowercase: true) ?? "console"
        // --plugin immich: its options, the server and --directory are checked before any download.
        if let plugin = try await ImmichPlugin.prepare(arguments), let fed = try await plugin.feedRecordsIfRequested(arguments.environment) { return fed }
        try checkCombinations(arguments)
        if mfaProvider == "webui" { throw notImplemented("--mfa-provider webui") }

        let usernames = arguments.values("username")
        guard let rawUsername = usernames.first else { return .ok }  // icloudpd: no user, nothing to do
        if usernames.count > 1 { throw notImplemented("several --username groups") }
        let username = rawUsername.lowercased()

        let endpoints = AuthEndpoints(domain: AuthEndpoints.Domain(rawValue: domainName) ?? .com, environment: arguments.environment)
        let store = SessionStore(directory: arguments.value("cookie-directory") ?? SessionStore.defaultDirectory, username: username)
        let client = HTTPClient(maxConnectionsPerHost: 2, timeout: AuthEndpoints.requestTimeout,
                                retryPolicy: .init(maxAttempts: 3, baseDelay: 0.5, maxDelay: 5), followRedirects: false)
        let prompts = SignInPrompts.console(username: username,
                                            parameter: providers.contains("parameter") ? arguments.value("password") : nil,
                                            askOnConsole: providers.contains("console"))
        let result = await signIn(store: store, endpoints: endpoints, client: client, username: username,
                                  prompts: prompts, environment: arguments.environment)
        if case .failure(let error) = result { throw error.toolError(username: username) }
        Log.info("Authentication completed successfully")
        return .ok
    }

    /// A Result rather than a typed-throws catch: Swift 6.3 crashes compiling the latter here.
    static func signIn(store: SessionStore, endpoints: AuthEndpoints, client: HTTPClient, username: String,
                       prompts: SignInPrompts, environment: [String: String]) async -> Result<AccountData, SignInError> {
        do throws(SignInError) {
            let session = try ICloudSession(store: store, endpoints: endpoints, client: client, environment: environment)
            return .success(try await ICloudSignIn(session: session, username: username, prompts: prompts).signIn())
        } catch {
            return .failure(error)
        }
    }

    // MARK: validation

    static func notImplemented(_ what: String) -> ToolError {
        .usage("\(what) is not implemented yet in this build (it can sign in only: use --auth-only).")
    }

    /// A single-valued option restricted to choices; argparse's message on a bad one.
    static func choice(_ arguments: ParsedArguments, _ name: String, _ choices: [String], lowercase: Bool) throws(ToolError) -> String? {
        guard let raw = arguments.value(name) else { return nil }
        let value = lowercase ? raw.lowercased() : raw
        guard choices.contains(value) else {
            throw .usage("argument --\(name): invalid choice: '\(raw)' (choose from \(choices.map { "'\($0)'" }.joined(separator: ", ")))")
        }
        return value
    }

    /// The password providers in order, duplicates removed; the ones not built yet are refused
    /// when asked for explicitly (the default list's keyring is skipped).
    static func providerList(_ arguments: ParsedArguments) throws(ToolError) -> [String] {
        let given = arguments.values("password-provider").map { $0.lowercased() }
        for value in given where !ICloudPDOptions.passwordProviders.contains(value) {
            throw .usage("argument --password-provider: invalid choice: '\(value)' (choose from \(ICloudPDOptions.passwordProviders.map { "'\($0)'" }.joined(separator: ", ")))")
        }
        if given.isEmpty { return ["parameter", "console"] }
        var seen: [String] = []
        for value in given where !seen.contains(value) { seen.append(value) }
        for value in ["keyring", "webui"] where seen.contains(value) { throw notImplemented("--password-provider \(value)") }
        return seen
    }

    /// icloudpd's cross-option checks (§2.5), then the options this build cannot honour yet.
    static func checkCombinations(_ arguments: ParsedArguments) throws(ToolError) {
        let authOnly = arguments.flag("auth-only")
        if arguments.flag("skip-videos") && arguments.flag("skip-photos") {
            throw .usage("Only one of --skip-videos and --skip-photos can be used at a time for each configuration")
        }
        if arguments.isSet("username") && !authOnly && !arguments.isSet("directory")
            && !arguments.flag("list-albums") && !arguments.flag("list-libraries") {
            throw .usage("--auth-only, --directory, --list-libraries, or --list-albums are required for each configuration")
        }
        if arguments.flag("auto-delete") && arguments.flag("delete-after-download") {
            throw .usage("--auto-delete and --delete-after-download are mutually exclusive per configuration")
        }
        if arguments.flag("delete-after-download"), let days = arguments.value("keep-icloud-recent-days"), (Int(days) ?? 1) != 0 {
            throw .usage("--keep-icloud-recent-days and --delete-after-download should not be used together in one configuration")
        }
        if arguments.isSet("watch-with-interval")
            && (authOnly || arguments.flag("list-albums") || arguments.flag("list-libraries") || arguments.flag("only-print-filenames")) {
            throw .usage("--watch-with-interval is not compatible with --list-albums, --list-libraries, --only-print-filenames, and --auth-only")
        }
        for option in ICloudPDOptions.pending where arguments.isSet(option.name) { throw notImplemented("--\(option.name)") }
        if !authOnly {
            for option in ICloudPDOptions.download + [ICloudPDOptions.signIn.first { $0.name == "directory" }!]
            where arguments.isSet(option.name) {
                throw .usage("Downloading (--\(option.name)) is not implemented yet in this build: it can sign in only, use --auth-only.")
            }
        }
    }
}
