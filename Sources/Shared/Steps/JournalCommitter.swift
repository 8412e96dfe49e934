import Foundation

/// Tail of the pipeline: mark records done or failed, then print the run's summary.
struct JournalCommitter {
    let journal: PendingJournal?
    let input: LineReader
    let output: LineWriter

    func run() throws -> ExitCode {
        var summary = RunSummary()
        var entries: [JSON] = []
        var malformed = 0
        while let bytes = try input.next() {
            switch RecordLine.classify(bytes, lineNumber: input.lineNumber) {
            case .photo(let record):
                summary.add(record)
                Self.warn(record)
                if let journal, let jid = record.object["jid"]?.stringValue {
                    if let first = record.errors.first {
                        let stage = first["stage"]?.stringValue.map { "\($0): " } ?? ""
                        entries.append(journal.fail(jid: jid, error: stage + (first["message"]?.stringValue ?? first.serialized)))
                    } else {
                        entries.append(journal.done(jid: jid))
                    }
                }
            case .other(let json):
                summary.addStats(json)
            case .boundary, nil:
                break
            case .malformed(let number, let reason):
                malformed += 1
                Log.error("stdin line \(number): \(reason); line skipped")
            }
            if !input.hasBufferedLine || entries.count >= JournalBatcher.groupCommitLimit {
                try journal?.append(entries)
                entries.removeAll(keepingCapacity: true)
            }
        }
        try journal?.append(entries)
        if let journal {
            let result = try journal.compact(countAttempt: false)
            summary.pending = result.pending.count
        }
        try output.writeLine(summary.json)
        Log.info(summary.sentence)
        return summary.recordsWithErrors > 0 || malformed > 0 ? .partial : .ok
    }

    /// One WARNING line per photo that ends with an error: the photo, its file and the reason
    /// (the journal keeps the detail), so the summary's count is never the only trace.
    static func warn(_ record: PhotoRecord) {
        guard let first = record.errors.first else { return }
        let photo = [record.object["filename"]?.stringValue, record.id.map { "id \($0)" }].compactMap { $0 }.joined(separator: ", ")
        let stage = first["stage"]?.stringValue.map { "\($0): " } ?? ""
        let more = record.errors.count > 1 ? " (and \(record.errors.count - 1) more error(s))" : ""
        Log.warning("photo \(photo.isEmpty ? "without id" : photo): \(stage)\(first["message"]?.stringValue ?? first.serialized)\(more)")
    }
}
