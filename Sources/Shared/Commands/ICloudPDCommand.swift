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
            edits and deletions, in one or two requests when nothing changed. --full-listing (first watch iteration only), a \
            change of the download options, or a refused token lists the whole library; after a refused token the \
            records are still only the changes against the state database. --until-found shapes the first listing \
            and the ones after a fallback: once a change token is stored, the change feed says exactly what is new. \
            --recent, --skip-created-before/after and --album always list, as in icloudpd. With --plugin immich, an \
            iteration with nothing to do starts no Immich step. With --watch-with-interval the loop never dies of a transient fault: \
            an error inside an iteration (iCloud or Immich down or failing, a step that fails, a full disk) ends that \
            iteration with one ERROR line, runs --notification-script (ICLOUDPD_EVENT=iteration-failed, later recovered) \
            and waits, twice as long after each consecutive failure up to four times the interval; what was not done is \
            retried. Only a usage error, a wrong password or API key, or a locked account end it. A session that needs \
            a new two-factor code while no terminal can answer is logged once per iteration and retried; with \
            --mfa-provider webui (and --password-provider webui) the loop waits on a web page instead (--webui-listen, \
            127.0.0.1:8080 by default; GET / and /status, POST /code, /password, /resume, /cancel). \
            --status-file PATH is rewritten (JSON) after every iteration.
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
        let script = arguments[Options.notificationScript].map { NotificationScript(path: $0, environment: arguments.environment) }
        let watch = WatchState(interval: try arguments[Options.watchWithInterval], statusPath: arguments[Options.statusFile], script: script)
        // --plugin immich: its options, the server and --directory are checked before any download.
        // A watch loop waits out a server that is down or failing (both containers booting).
        var plugin: ImmichPlugin?
        var pluginFault: ToolError?
        switch await preparePlugin(arguments) {
        case .success(let prepared): plugin = prepared
        case .failure(let error) where error.transient && watch.interval != nil: pluginFault = error
        case .failure(let error): throw error
        }
        if let plugin, let fed = try await plugin.feedRecordsIfRequested(arguments.environment) { return fed }
        try checkCombinations(arguments)
        let download = try ICloudPDDownloadArguments(arguments)
        // icloudpd disables its logger entirely with --only-print-filenames.
        if download.settings.onlyPrintFilenames { Log.shared.level = .error }

        let usernames = arguments[Options.username]
        guard let rawUsername = usernames.first else { return .ok }  // icloudpd: no user, nothing to do
        if usernames.count > 1 { throw notImplemented("several --username groups") }
        let username = rawUsername.lowercased()
        if let fault = pluginFault { plugin = try await waitForImmich(arguments, fault: fault, watch: watch) }

        let endpoints = AuthEndpoints(domain: domain, environment: arguments.environment)
        let store = SessionStore(directory: arguments[Options.cookieDirectory], username: username)
        let threads = download.settings.threads
        let client = HTTPClient(maxConnectionsPerHost: max(2, threads), timeout: AuthEndpoints.requestTimeout,
                                retryPolicy: .init(maxAttempts: 3, baseDelay: 0.5, maxDelay: 5), followRedirects: false)
        var prompts = SignInPrompts.console(username: username,
                                            parameter: providers.contains(.parameter) ? arguments[Options.password] : nil,
                                            askOnConsole: providers.contains(.console))
        // The web page: icloudpd's routes on our HTTP server, started once for the process.
        var webui: WebUI?
        if mfaProvider == .webui || providers.contains(.webui) {
            let page = WebUI(watch: watch, username: username)
            _ = try page.start(listen: arguments[Options.webuiListen])
            webui = page
            if mfaProvider == .webui { prompts.answer = { _ in page.code() } }
            if providers.contains(.webui) {
                let console = prompts.password
                let parameter = arguments[Options.password]
                // The providers in the order given; the page blocks until it gets an answer.
                prompts.password = {
                    for provider in providers {
                        switch provider {
                        case .parameter: if let parameter, !parameter.isEmpty { return parameter }
                        case .console: if let answer = console(), !answer.isEmpty { return answer }
                        case .webui: return page.password()
                        case .keyring: continue
                        }
                    }
                    return nil
                }
            }
        }
        let pageAsksForCode = mfaProvider == .webui
        if let script {
            prompts.codeNeeded = {
                let how = pageAsksForCode ? ": enter it on the web page" : ""
                await script.notify(event: .codeNeeded, message: "Two-factor authentication is required for \(username)\(how)")
            }
        }
        let recordsWriter: LineWriter? = try download.records.map { path throws(ToolError) in
            path.isEmpty ? LineWriter.standardOutput : try RecordSink.file(path)
        }
        let context = Iteration(arguments: arguments, download: download, username: username, store: store, endpoints: endpoints,
                                client: client, prompts: prompts, plugin: plugin, recordsWriter: recordsWriter, webui: webui)
        defer { webui?.stop() }
        var first = true  // until an iteration gets through
        while true {
            watch.started()
            _ = IterationCounters.shared.take()
            var report: IterationReport
            webui?.iterationStarted()
            do {
                // A task of its own, so the page's POST /cancel can stop it.
                let firstNow = first
                let task = Task { try await context.run(first: firstNow) }
                webui?.onCancel.withLock { $0 = { task.cancel() } }
                defer { webui?.onCancel.withLock { $0 = nil } }
                let step = try await task.value
                if webui?.wasCancelled == true { throw CancellationError() }
                switch step {
                case .authOnly: return .ok
                case .passwordRefused:
                    // The page's password was wrong: ask again at once.
                    continue
                case .signInWait(let error, let interval):
                    // Watch mode outlives an expired session: one clear line, then the next iteration tries again.
                    Log.error("\(error.message(username: username)) Trying again in \(interval) sec.")
                    watch.waiting(for: error == .codeNeeded ? "a two-factor code" : nil)
                    watch.writeStatus()
                    await watch.sleep(seconds: interval)
                    continue
                case .done(let done):
                    report = done
                    first = false
                }
            } catch where webui?.wasCancelled == true {
                Log.info("Iteration was cancelled")
                report = IterationReport(outcome: .cancelled)
            } catch {
                let failure = Self.toolError(error, username: username)
                // Only a usage error, a wrong password or API key, or a locked account end a watch loop.
                guard watch.interval != nil, failure.code != .usage, failure.code != .authentication else {
                    if watch.interval == nil { await watch.finished(IterationReport(outcome: .failed, error: failure.message)) }
                    throw error
                }
                Log.error("This iteration failed: \(failure.message); the next one will try again")
                report = IterationReport(outcome: .failed, downloaded: IterationCounters.shared.take(), error: failure.message)
            }
            watch.waiting(for: nil)
            let wait = await watch.finished(report)
            guard let wait else { return report.exitCode }
            Log.info("Waiting for \(wait) sec...")
            await watch.sleep(seconds: wait)
        }
    }

    /// Immich was unreachable or failing at start: a watch loop retries, backing off, until it answers.
    static func waitForImmich(_ arguments: ParsedArguments, fault: ToolError, watch: WatchState) async throws(ToolError) -> ImmichPlugin? {
        var fault = fault
        while true {
            watch.started()
            Log.error("This iteration failed: \(fault.message); the next one will try again")
            let wait = await watch.finished(IterationReport(outcome: .failed, error: fault.message)) ?? 1
            Log.info("Waiting for \(wait) sec...")
            await watch.sleep(seconds: wait)
            switch await preparePlugin(arguments) {
            case .success(let plugin): return plugin
            case .failure(let error) where error.transient: fault = error
            case .failure(let error): throw error
            }
        }
    }

    /// A Result rather than a typed-throws catch (see `signIn`).
    static func preparePlugin(_ arguments: ParsedArguments) async -> Result<ImmichPlugin?, ToolError> {
        do throws(ToolError) { return .success(try await ImmichPlugin.prepare(arguments)) } catch { return .failure(error) }
    }

    /// Any error of an iteration as the one sentence and exit code it deserves.
    static func toolError(_ error: Error, username: String) -> ToolError {
        switch error {
        case let error as ToolError: error
        case let error as SignInError: error.toolError(username: username)
        case let error as HTTPError: ToolError(.runtime, "\(error)", transient: true)
        default: ToolError.runtime("\(error)")
        }
    }

    /// One iteration's inputs: everything but the loop.
    struct Iteration: Sendable {
        let arguments: ParsedArguments
        let download: ICloudPDDownloadArguments
        let username: String
        let store: SessionStore
        let endpoints: AuthEndpoints
        let client: HTTPClient
        let prompts: SignInPrompts
        let plugin: ImmichPlugin?
        let recordsWriter: LineWriter?
        let webui: WebUI?

        enum Step: Sendable {
            case authOnly
            /// The password from the web page was refused: the page asks again.
            case passwordRefused
            /// A sign-in trouble a watch loop waits out (a code needed, throttled, network).
            case signInWait(SignInError, interval: Int)
            case done(IterationReport)
        }

        /// `first`: the process's first iteration (the only one --full-listing and
        /// --immich-process-existing list the whole library for; later ones are change runs).
        func run(first: Bool) async throws -> Step {
            typealias Options = ICloudPDOptions
            Log.info("Processing user: \(username)")
            let session: ICloudSession
            do { session = try ICloudSession(store: store, endpoints: endpoints, client: client, environment: arguments.environment) } catch {
                throw error.toolError(username: username)
            }
            let account: AccountData
            // The page asks again after a wrong code instead of giving up.
            let attempts = webui != nil && (try? arguments[Options.mfaProvider]) == .webui ? Int.max : 3
            switch await ICloudPDCommand.signIn(session: session, username: username, prompts: prompts, maxCodeAttempts: attempts) {
            case .failure(let error):
                if error == .wrongPassword, let webui, arguments[Options.password] == nil {
                    Log.error(error.message(username: username))
                    webui.passwordRefused()
                    return .passwordRefused
                }
                // A code nobody can type now waits for the next iteration; throttling and network
                // trouble fail the iteration like any other transient fault (notified, backed off).
                guard let interval = download.watchInterval, error == .codeNeeded else { throw error.toolError(username: username) }
                return .signInWait(error, interval: interval)
            case .success(let data): account = data
            }
            webui?.signedIn()
            if arguments[Options.authOnly] {
                Log.info("Authentication completed successfully")
                return .authOnly
            }
            let service = try PhotosService(session: session, account: account)
            let downloader = FileDownloader(client: client, headers: await ICloudPDCommand.downloadHeaders(session))
            // One Immich pipeline per pass: it runs beside the downloads (records flow to it as
            // each photo is done) and ends with the pass, which flushes its last batch.
            let pass = try plugin?.startPass()
            var forward: (@Sendable (JSON) throws -> Void)?
            if let pass { forward = { json in try pass.emit(json) } }
            let records: RecordSink? = recordsWriter == nil && forward == nil ? nil : RecordSink(writer: recordsWriter, forward: forward, journal: pass?.photoJournal)
            let failed: Int
            do {
                if let state = try ICloudPDCommand.stateDatabase(arguments, download: download, store: store) {
                    failed = try await IncrementalSync(pass: download.pass, service: service, downloader: downloader, records: records,
                                                       state: state,
                                                       // --immich-process-existing means every photo: a delta would leave most out.
                                                       forceFull: first && (arguments[Options.fullListing] || arguments[ImmichPluginOptions.processExisting])).run()
                } else {
                    failed = try await LibraryPass(settings: download.pass, service: service, downloader: downloader, records: records).run()
                }
                if download.autoDelete && !download.settings.onlyPrintFilenames && !download.listAlbums && !download.listLibraries {
                    try await AutoDelete(service: service, settings: download.settings).run(zone: download.zone)
                }
            } catch {
                if let pass { _ = try? await pass.finish() }  // what was handed over still gets processed
                throw error
            }
            var report = IterationReport(outcome: failed > 0 ? .partial : .ok, downloaded: IterationCounters.shared.take(), errors: failed)
            if let pass {
                let summary = try await pass.finish()
                if summary.exitCode != .ok { report.outcome = .partial }
                report.registered = summary.filesRegistered
                report.errors += summary.errors
                report.pending = summary.pending
            }
            return .done(report)
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
    static func signIn(session: ICloudSession, username: String, prompts: SignInPrompts, maxCodeAttempts: Int = 3) async -> Result<AccountData, SignInError> {
        do throws(SignInError) {
            var signIn = ICloudSignIn(session: session, username: username, prompts: prompts)
            signIn.maxCodeAttempts = maxCodeAttempts
            return .success(try await signIn.signIn())
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
        for provider in [ICloudPDOptions.PasswordProvider.keyring] where providers.contains(provider) {
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
