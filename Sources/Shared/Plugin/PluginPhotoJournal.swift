import Foundation

/// icloudpd's own writes to the pending journal in plugin mode (docs/design.md#the-journal: no window where a
/// downloaded file is in no journal). Each photo record that enters the pipeline is journaled
/// here, before its files get their final names, under a journal id fixed per iCloud photo and
/// the pass's run id; immich-batch (`--journaled-by RUN`) then neither journals it again nor
/// replays it in the same pass.
///
/// The journal id is the photo's: if a crash left a record journaled whose files were never
/// renamed, the next run's record for the same photo replaces it rather than failing beside it.
final class PluginPhotoJournal: PhotoJournal, @unchecked Sendable {
    // @unchecked: `journal` (an fd and its inode) is only used under `lock`.
    let run: String
    private let router: RecordRouter
    private let journal: PendingJournal
    private let lock = NSLock()

    init(path: String, run: String, router: RecordRouter) throws(ToolError) {
        self.run = run
        self.router = router
        journal = try PendingJournal(path: path)
    }

    static func jid(_ record: PhotoRecord) -> String {
        record.object["id"]?.stringValue.map { "icloud:" + $0 } ?? UUID().uuidString.lowercased()
    }

    func journal(_ records: [JSON]) throws(ToolError) -> [JSON] {
        var adds: [JSON] = []
        var out: [JSON] = []
        for record in records {
            guard let object = record.objectValue, record["type"]?.stringValue ?? "photo" == "photo",
                  var routed = router.routed(PhotoRecord(object)) else {
                out.append(record)  // stays out of the pipeline: nothing to journal
                continue
            }
            let jid = Self.jid(routed)
            routed.object["jid"] = .string(jid)
            adds.append(journal.add(routed.json, jid: jid, run: run))
            out.append(routed.json)
        }
        do {
            try lock.withLock { try journal.append(adds) }
        } catch let error as ToolError {
            throw error
        } catch {
            throw ToolError.runtime("cannot write the journal \(journal.path): \(error)")
        }
        return out
    }
}
