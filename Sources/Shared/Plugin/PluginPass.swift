import Foundation

/// One download pass of `--plugin immich` whose steps start only when needed: with the first
/// record handed over (or at once when the journal has records to replay). A pass with nothing
/// to do sends Immich nothing.
public final class PluginPass: @unchecked Sendable {
    // @unchecked: `run` is only touched under `lock`.
    let plugin: ImmichPlugin
    private let journal: PluginPhotoJournal?
    private let lock = NSLock()
    private var run: ImmichPluginRun?

    init(plugin: ImmichPlugin, journal: PluginPhotoJournal?, startNow: Bool) throws(ToolError) {
        self.plugin = plugin
        self.journal = journal
        if startNow { _ = try started() }
    }

    /// Where the downloader journals records before renaming their files (nil in a dry run).
    public var photoJournal: (any PhotoJournal)? { journal }

    public func emit(_ json: JSON) throws(ToolError) { try started().emit(json) }

    private func started() throws(ToolError) -> ImmichPluginRun {
        lock.lock()
        defer { lock.unlock() }
        if let run { return run }
        let new = try plugin.startRun(journal: journal)
        run = new
        return new
    }

    /// Waits for the steps (if they ran), logs and prints the summary.
    public func finish() async throws(ToolError) -> PluginSummary {
        let current = lock.withLock { run }
        guard let current else { return plugin.finishEmpty() }
        return try await plugin.finish(current)
    }
}
