import Foundation

/// `icloudpd`: the iCloud Photos downloader, command-line compatible with icloudpd 1.32. It
/// signs in (or reuses the saved session), then runs passes: each one lists the library (only
/// what changed after the first run), downloads, writes metadata and, with `--records` or
/// `--plugin immich`, hands one record per photo to the Immich steps.
public enum ICloudPDCommand {
    public static let spec = CommandSpec(
        name: "icloudpd",
        summary: "download iCloud Photos with icloudpd's file layout, in parallel",
        usage: "icloudpd --username APPLE_ID [--password PASSWORD] --directory DIR [options]",
        discussion: """
            Signs in to iCloud the way Apple's web sign-in does (SRP, two-factor code, trusted browser) and keeps \
            the session in --cookie-directory in icloudpd's own file format, so icloudpd and this tool can share it. \
            A later run reuses the saved session and asks for nothing. The two-factor code is read from the terminal, \
            or from stdin when stdin is not a terminal (echo 123456 | icloudpd …). \
            Downloads the library (or --album) into --directory with exactly icloudpd's names and folders, several \
            files at once (--threads-num), retrying failed requests; photos that still fail are listed at the end \
            (exit 5) and retried by the next run. Options of icloudpd not implemented here are refused, never ignored.
            After the first run only what changed in iCloud is fetched (CloudKit change tokens, kept with what was \
            downloaded in a state database next to the session files, --state-db): new photos, favourites flipped, \
            edits and deletions, in one or two requests when nothing changed. --full-listing, a change of the download \
            options, or a refused token lists the whole library; --until-found, --recent, --skip-created-before/after \
            and --album always do, as in icloudpd. With --watch-with-interval, a session that needs a new two-factor \
            code while no terminal can answer is logged once per iteration and retried; the loop keeps going.
            """,
        options: ICloudPDOptions.all,
        examples: [
            ("icloudpd --username jdoe@example.com --auth-only",
             "Sign in (asking for the password and a two-factor code on the terminal) and save the session in ~/.pyicloud."),
            ("ICLOUD_PASSWORD=… icloudpd -u jdoe@example.com --auth-only --cookie-directory ~/.icloud < code.txt",
             "Sign in without a terminal, reading the two-factor code from a file."),
            ("icloudpd -u jdoe@example.com -d ~/Photos --size original --size adjusted --until-found 50",
             "Download new photos (and their edits) until 50 files in a row are already there."),
            ("icloudpd -u jdoe@example.com -d ~/Photos --records | immich-batch 100 | immich-scan",
             "Download and hand one record per photo to the Immich steps."),
        ],
        environment: [
            ("HOME", "Where ~ in the default paths points."),
            ("LC_ALL, LC_TIME, LANG", "The locale of folder names with --use-os-locale (the first one set)."),
            ("TZ", "The time zone of the dates in folder names (the machine's when unset)."),
            ("PATH", "With --plugin immich, where the immich-* commands are found when they are not next to icloudpd."),
            ("SSL_CERT_FILE", "PEM certificates to trust instead of the system store (a private CA); --immich-ca-file wins for Immich."),
            ImmichOptions.proxyEnvironment,
            ("ICLOUDPD_AUTH_ROOT_ENDPOINT, ICLOUDPD_AUTH_ENDPOINT, ICLOUDPD_SETUP_ENDPOINT, ICLOUDPD_HOME_ENDPOINT",
             "Testing aids: replace Apple's endpoint bases (e.g. with those photos-sandbox --icloud prints)."),
            ("ICLOUDPD_PLUGIN_RECORDS", "Testing aid: with --plugin immich, feed the photo records in this file (as --records writes them) to one pass instead of downloading."),
        ],
        files: [
            ("~/.pyicloud/ACCOUNT, ~/.pyicloud/ACCOUNT.session",
             "The saved session (cookie jar and session data, in icloudpd's format) in --cookie-directory; ACCOUNT is the Apple ID lower-cased, letters, digits and _ only (jdoe@example.com: jdoeexamplecom). Keep them private: they sign in without a password."),
            ("~/.pyicloud/ACCOUNT.LIBRARY.state.sqlite",
             "The state database of incremental runs (--state-db): the change tokens and what was downloaded. Deleting it makes the next run list the whole library."),
            ("~/.pyicloud/immich_pending_files.json",
             "With --plugin immich, the journal of photos not yet through the Immich steps (--immich-batch-log-file), replayed first by the next run; beside it its .lock, and .failed for photos that failed five runs in a row."),
            ("DIRECTORY/…/CHECKSUM.part", "A file being downloaded (named, as in icloudpd, by its checksum in base32, in its target folder); the next run resumes it."),
        ],
        standardOptions: CommandSpec.standardOptions.filter { $0.spec.name != CommandSpec.logLevel.name })

    /// The thin mains call this: no arguments at all means --help, as in icloudpd.
    public static func main(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        await CommandMain.run(spec, arguments: arguments.isEmpty ? ["--help"] : arguments) { try await run($0) }
    }

    public static func run(_ arguments: ParsedArguments) async throws -> ExitCode {
        typealias Options = ICloudPDOptions
        // icloudpd logs to stdout with Python logging's format; with --records they go to
        // stderr so stdout carries records only. Errors always go to stderr.
        Log.shared.style = .timestamped
        Log.shared.logFileDescriptor = arguments.isSet(Options.records) || arguments.isSet(ImmichPluginOptions.plugin) ? 2 : 1
        if let password = arguments[Options.password] { Log.shared.redact(password) }
        Log.shared.level = LogLevel(name: try arguments[Options.logLevel].rawValue) ?? .debug

        let domain = try arguments[Options.domain]
        let providers = try providerList(arguments)
        let mfaProvider = try arguments[Options.mfaProvider]
        // --plugin immich: its options, the server and --directory are checked before any download.
        let plugin = try await ImmichPlugin.prepare(arguments)
        if let plugin, let fed = try await plugin.feedRecordsIfRequested(arguments.environment) { return fed }
        try checkCombinations(arguments)
        if mfaProvider == .webui { throw notImplemented("--mfa-provider webui") }
        let download = try ICloudPDDownloadArguments(arguments)
        // icloudpd disables its logger entirely with --only-print-filenames.
        if download.settings.onlyPrintFilenames { Log.shared.level = .error }

        let usernames = arguments[Options.username]
        guard let rawUsername = usernames.first else { return .ok }  // icloudpd: no user, nothing to do
        if usernames.count > 1 { throw notImplemented("several --username groups") }
        let username = rawUsername.lowercased()

        let endpoints = AuthEndpoints(domain: domain, environment: arguments.environment)
        let store = SessionStore(directory: arguments[Options.cookieDirectory], username: username)
        let threads = download.settings.threads
        let client = HTTPClient(maxConnectionsPerHost: max(2, threads), timeout: AuthEndpoints.requestTimeout,
                                retryPolicy: .init(maxAttempts: 3, baseDelay: 0.5, maxDelay: 5), followRedirects: false)
        var prompts = SignInPrompts.console(username: username,
                                            parameter: providers.contains(.parameter) ? arguments[Options.password] : nil,
                                            askOnConsole: providers.contains(.console))
        if let path = arguments[Options.notificationScript] {
            let script = NotificationScript(path: path, environment: arguments.environment)
            prompts.codeNeeded = { await script.notify() }
        }
        let recordsWriter: LineWriter? = try download.records.map { path throws(ToolError) in
            path.isEmpty ? LineWriter.standardOutput : try RecordSink.file(path)
        }
        while true {
            Log.info("Processing user: \(username)")
            let session: ICloudSession
            do { session = try ICloudSession(store: store, endpoints: endpoints, client: client, environment: arguments.environment) } catch {
                throw error.toolError(username: username)
            }
            let result = await signIn(session: session, username: username, prompts: prompts)
            let account: AccountData
            switch result {
            case .failure(let error):
                // Watch mode outlives an expired session: one clear line, then the next iteration tries again.
                guard let interval = download.watchInterval, error.keepsWatchAlive else { throw error.toolError(username: username) }
                Log.error("\(error.message(username: username)) Trying again in \(interval) sec.")
                try? await Task.sleep(nanoseconds: UInt64(interval) * 1_000_000_000)
                continue
            case .success(let data): account = data
            }
            if arguments[Options.authOnly] {
                Log.info("Authentication completed successfully")
                return .ok
            }
            let service = try PhotosService(session: session, account: account)
            let downloader = FileDownloader(client: client, headers: await downloadHeaders(session))
            // One Immich pipeline per pass: it runs beside the downloads (records flow to it as
            // each photo is done) and ends with the pass, which flushes its last batch.
            let pass = try plugin?.startRun()
            var forward: (@Sendable (JSON) throws -> Void)?
            if let pass { forward = { json in try pass.emit(json) } }
            let records: RecordSink? = recordsWriter == nil && forward == nil ? nil : RecordSink(writer: recordsWriter, forward: forward, journal: pass?.photoJournal)
            let failed: Int
            do {
                if let state = try stateDatabase(arguments, download: download, store: store) {
                    failed = try await IncrementalSync(pass: download.pass, service: service, downloader: downloader, records: records,
                                                       state: state,
                                                       // --immich-process-existing means every photo: a delta would leave most out.
                                                       forceFull: arguments[Options.fullListing] || arguments[ImmichPluginOptions.processExisting]).run()
                } else {
                    failed = try await LibraryPass(settings: download.pass, service: service, downloader: downloader, records: records).run()
                }
                if download.autoDelete && !download.settings.onlyPrintFilenames && !download.listAlbums && !download.listLibraries {
                    try await AutoDelete(service: service, settings: download.settings).run(zone: download.zone)
                }
            } catch {
                if let plugin, let pass { _ = try? await plugin.finish(pass) }  // what was handed over still gets processed
                throw error
            }
            var code: ExitCode = failed > 0 ? .partial : .ok
            if let plugin, let pass {
                let summary = try await plugin.finish(pass)
                if summary.exitCode != .ok { code = summary.exitCode }
            }
            guard let interval = download.watchInterval else { return code }
            Log.info("Waiting for \(interval) sec...")
            try? await Task.sleep(nanoseconds: UInt64(interval) * 1_000_000_000)
        }
    }

    /// The state database of a run that downloads (not listing, dry or print-only runs):
    /// `--state-db`, else next to the session files, one per account and library.
    static func stateDatabase(_ arguments: ParsedArguments, download: ICloudPDDownloadArguments,
                              store: SessionStore) throws(ToolError) -> StateDatabase? {
        let s = download.settings
        if download.listAlbums || download.listLibraries || s.dryRun || s.onlyPrintFilenames { return nil }
        let path = arguments[ICloudPDOptions.stateDB].map { SessionStore.normalize($0) }
            ?? (store.directory as NSString).appendingPathComponent("\(store.baseName).\(download.library).state.sqlite")
        return try StateDatabase(path: path)
    }

    /// Headers of content downloads: the session's defaults and cookies, as icloudpd's session sends.
    static func downloadHeaders(_ session: ICloudSession) async -> [String: String] {
        var headers: [String: String] = [:]
        for (name, value) in session.endpoints.sessionDefaultHeaders { headers[name] = value }
        return headers
    }

    /// A Result rather than a typed-throws catch: Swift 6.3 crashes compiling the latter here.
    static func signIn(session: ICloudSession, username: String, prompts: SignInPrompts) async -> Result<AccountData, SignInError> {
        do throws(SignInError) {
            return .success(try await ICloudSignIn(session: session, username: username, prompts: prompts).signIn())
        } catch {
            return .failure(error)
        }
    }

    // MARK: validation

    static func notImplemented(_ what: String) -> ToolError {
        .usage("\(what) is not implemented yet in this build.")
    }

    /// The password providers in order, duplicates removed; the ones not built yet are refused
    /// when asked for explicitly (the default list's keyring is skipped).
    static func providerList(_ arguments: ParsedArguments) throws(ToolError) -> [ICloudPDOptions.PasswordProvider] {
        var providers: [ICloudPDOptions.PasswordProvider] = []
        for provider in try arguments[ICloudPDOptions.passwordProvider] where !providers.contains(provider) { providers.append(provider) }
        guard arguments.isSet(ICloudPDOptions.passwordProvider) else { return providers.filter { $0 != .keyring } }
        for provider in [ICloudPDOptions.PasswordProvider.keyring, .webui] where providers.contains(provider) {
            throw notImplemented("--password-provider \(provider.rawValue)")
        }
        return providers
    }

    /// icloudpd's cross-option checks (docs/references.md#icloudpd-command-line), then the options
    /// this build cannot honour yet.
    static func checkCombinations(_ arguments: ParsedArguments) throws(ToolError) {
        typealias Options = ICloudPDOptions
        let authOnly = arguments[Options.authOnly]
        if arguments[Options.skipVideos] && arguments[Options.skipPhotos] {
            throw .usage("Only one of --skip-videos and --skip-photos can be used at a time for each configuration")
        }
        if arguments.isSet(Options.username) && !authOnly && !arguments.isSet(Options.directory)
            && !arguments[Options.listAlbums] && !arguments[Options.listLibraries] {
            throw .usage("--auth-only, --directory, --list-libraries, or --list-albums are required for each configuration")
        }
        if arguments[Options.autoDelete] && arguments[Options.deleteAfterDownload] {
            throw .usage("--auto-delete and --delete-after-download are mutually exclusive per configuration")
        }
        if arguments[Options.deleteAfterDownload], let days = arguments[Options.keepICloudRecentDays], (Int(days) ?? 1) != 0 {
            throw .usage("--keep-icloud-recent-days and --delete-after-download should not be used together in one configuration")
        }
        if arguments.isSet(Options.watchWithInterval)
            && (authOnly || arguments[Options.listAlbums] || arguments[Options.listLibraries] || arguments[Options.onlyPrintFilenames]) {
            throw .usage("--watch-with-interval is not compatible with --list-albums, --list-libraries, --only-print-filenames, and --auth-only")
        }
        for option in Options.pending where arguments.isSet(option) { throw notImplemented("--\(option.spec.name)") }
    }
}
