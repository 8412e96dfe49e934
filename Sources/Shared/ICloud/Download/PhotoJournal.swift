/// Makes photo records durable before their files get their final names (`--plugin immich`):
/// once a file is visible under its name, a later run sees it as already downloaded and would
/// not hand it to Immich again, so its record must already be in the pending journal.
public protocol PhotoJournal: Sendable {
    /// Journals the records that will be handed on (one sync for all of them) and returns each
    /// record as it must be handed on (e.g. with its journal id).
    func journal(_ records: [JSON]) throws(ToolError) -> [JSON]
}
