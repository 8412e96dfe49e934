import Foundation

/// `icloudpd --plugin immich`: checked once at start, before anything is downloaded, then one
/// `PluginPass` per download pass (per `--watch-with-interval` iteration), whose
/// `ImmichPluginRun` starts with the pass's first record:
///
///     let plugin = try await ImmichPlugin.prepare(arguments)      // nil without --plugin
///     let pass = try plugin.startPass()                             // each iteration
///     try pass.emit(record)                                         // each photo
///     let summary = try await pass.finish()                         // logs and prints the summary
public final class ImmichPlugin: Sendable {
    public let settings: ImmichPluginSettings
    public let pipeline: ImmichPipeline
    let executables: [URL]
    let environment: [String: String]
    /// Set in the icloudpd process only: tests drive runs in-process.
    let forwardSignals: Bool
    /// Where the summary JSON line goes (stdout in icloudpd: its logs are on stderr then).
    let summaryOutput: LineWriter?

    public init(settings: ImmichPluginSettings, tools: ToolLocator, environment: [String: String], logLevel: String? = nil,
                forwardSignals: Bool = false, summaryOutput: LineWriter? = nil) throws(ToolError) {
        self.settings = settings
        pipeline = ImmichPipeline(settings, logLevel: logLevel)
        var executables: [URL] = []
        for stage in pipeline.stages { executables.append(try tools.url(of: stage.tool)) }
        self.executables = executables
        self.environment = ImmichPipeline.environment(settings, base: environment)
        self.forwardSignals = forwardSignals
        self.summaryOutput = summaryOutput
    }

    /// The one call from icloudpd: nil without `--plugin`. Checks every option, the server,
    /// the key, the library and `--directory`; a failure is one clear error before any download.
    public static func prepare(_ arguments: ParsedArguments) async throws(ToolError) -> ImmichPlugin? {
        guard let settings = try ImmichPluginSettings.parse(arguments) else { return nil }
        if arguments[ICloudPDOptions.authOnly] { return nil }  // nothing will be downloaded
        // stdout is for the summary line; logs, ours and the steps', go to stderr.
        Log.shared.logFileDescriptor = 2
        let plugin = try ImmichPlugin(settings: settings, tools: ToolLocator(environment: arguments.environment),
                                      environment: arguments.environment, logLevel: arguments.isSet(ICloudPDOptions.logLevel) ? try arguments[ICloudPDOptions.logLevel].rawValue : nil,
                                      forwardSignals: true, summaryOutput: .standardOutput)
        _ = try await PluginValidation.check(settings, directory: arguments[ICloudPDOptions.directory])
        Log.debug("Immich pipeline: \(plugin.pipeline.description)")
        return plugin
    }

    /// Starts one pass's pipeline. Unless dry, the pass journals its records itself (before the
    /// files are renamed into place) under a run id of its own, which immich-batch is told.
    public func startRun() throws(ToolError) -> ImmichPluginRun {
        try startRun(journal: try makeJournal())
    }

    /// The pass's own journal writer (nil in a dry run).
    func makeJournal() throws(ToolError) -> PluginPhotoJournal? {
        guard !settings.dryRun else { return nil }
        return try PluginPhotoJournal(path: journalPath, run: UUID().uuidString.lowercased(), router: RecordRouter(settings))
    }

    var journalPath: String { PendingJournal.path(settings.journalPath, environment: environment) }

    func startRun(journal: PluginPhotoJournal?) throws(ToolError) -> ImmichPluginRun {
        let router = RecordRouter(settings)
        let stages = zip(pipeline.stages, executables).enumerated().map { index, pair in
            let extra = index == 0 ? journal.map { ["--journaled-by", $0.run] } ?? [] : []
            return ChildPipeline.Stage(name: pair.0.tool, executable: pair.1, arguments: pair.0.arguments + extra)
        }
        if forwardSignals { SignalForwarder.shared.install() }
        let children = try ChildPipeline(stages, environment: environment)
        if forwardSignals { SignalForwarder.shared.watch(children) }
        return ImmichPluginRun(pipeline: children, router: router, journal: journal)
    }

    /// One watch iteration's pass: the steps start with its first record, or at once when the
    /// journal holds records to replay; a pass with neither never starts them (no Immich request).
    public func startPass() throws(ToolError) -> PluginPass {
        let journal = try makeJournal()
        var size = stat()
        let replay = stat(journalPath, &size) == 0 && size.st_size > 0
        return try PluginPass(plugin: self, journal: journal, startNow: replay)
    }

    /// The summary of a pass that never started the steps.
    func finishEmpty() -> PluginSummary {
        let summary = PluginSummary()
        Log.info(summary.sentence)
        try? summaryOutput?.writeLine(summary.json)
        return summary
    }

    /// Ends a run: waits for the steps, logs the summary sentence and prints the summary line.
    public func finish(_ run: ImmichPluginRun) async throws(ToolError) -> PluginSummary {
        defer { if forwardSignals { SignalForwarder.shared.watch(nil) } }
        let summary = try await run.finish()
        Log.info(summary.sentence)
        try? summaryOutput?.writeLine(summary.json)
        return summary
    }

    /// Testing and scripting aid: with ICLOUDPD_PLUGIN_RECORDS=FILE, the photo records in FILE
    /// (as `--records` writes them) are fed to one run instead of downloading.
    public func feedRecordsIfRequested(_ environment: [String: String]) async throws(ToolError) -> ExitCode? {
        guard let path = environment["ICLOUDPD_PLUGIN_RECORDS"] else { return nil }
        guard let text = FileManager.default.contents(atPath: path) else { throw .runtime("cannot read ICLOUDPD_PLUGIN_RECORDS file \(path)") }
        let run = try startRun()
        for line in text.split(separator: 0x0A) where !line.isEmpty {
            guard let json = try? JSON.parse(Array(line)) else { throw .usage("ICLOUDPD_PLUGIN_RECORDS: not a JSON line: \(String(decoding: line, as: UTF8.self).prefix(80))") }
            // Journaled first, as the downloader does.
            for journaled in try run.photoJournal?.journal([json]) ?? [json] { try run.emit(journaled) }
        }
        return try await finish(run).exitCode
    }
}
