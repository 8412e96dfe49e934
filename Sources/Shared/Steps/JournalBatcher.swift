import Foundation

/// `immich-batch [N|all]`: a batch boundary every N records, or one at the end of input.
public enum JournalBatchSize: Sendable, Equatable, OptionDefault {
    case every(Int)
    case endOfInput

    /// Records are batched one by one unless told otherwise.
    public static let `default` = JournalBatchSize.every(1)

    public static func parse(_ text: String?) throws(ToolError) -> JournalBatchSize {
        guard let text else { return .default }
        if text.lowercased() == "all" { return .endOfInput }
        guard let count = Int(text), count >= 1 else {
            throw ToolError.usage("invalid batch size '\(text)': expected a whole number ≥ 1 or 'all'")
        }
        return .every(count)
    }

    /// As immich-batch takes it: `50` or `all`.
    public var helpText: String {
        switch self {
        case .every(let count): String(count)
        case .endOfInput: "all"
        }
    }
}

/// Head of the pipeline: journal, then forward, inserting boundaries.
struct JournalBatcher {
    let journal: PendingJournal?
    let size: JournalBatchSize
    let input: LineReader
    let output: LineWriter
    /// The icloudpd pass that journals its records itself (`--journaled-by`).
    var journaledBy: String? = nil

    /// Records to journal before one fdatasync, when input arrives faster than it is synced.
    static let groupCommitLimit = 256

    func run() throws -> ExitCode {
        var sequence = 0
        var inBatch = 0
        var malformed = 0
        func forward(_ line: JSON, isRecord: Bool) {
            output.queue(line)
            guard isRecord else { return }
            inBatch += 1
            if case .every(let count) = size, inBatch >= count { closeBatch() }
        }
        func closeBatch() {
            guard inBatch > 0 else { return }
            sequence += 1
            output.queue(["type": "batch", "seq": .int(sequence)])
            inBatch = 0
        }

        if let journal {
            let replay = try journal.compact(countAttempt: true)
            if replay.movedToFailed > 0 {
                Log.warning("\(replay.movedToFailed) record(s) failed \(PendingJournal.maxAttempts) runs in a row and moved to \(journal.failedPath)")
            }
            // Entries of the calling pass are on their way through stdin.
            let replayed = replay.pending.filter { journaledBy == nil || $0.run != journaledBy }
            if !replayed.isEmpty { Log.info("replaying \(replayed.count) pending record(s) from \(journal.path)") }
            for pending in replayed {
                guard var object = pending.record.objectValue else { continue }
                object["errors"] = nil  // stale: the steps run again
                object["jid"] = .string(pending.jid)
                // Its files may have been registered before the crash: immich-scan looks them
                // up by path instead of assuming they are new.
                object["replayed"] = true
                forward(.object(object), isRecord: true)
            }
            try output.flush()
        }

        var adds: [JSON] = []
        var lines: [(JSON, Bool)] = []
        func drain() throws {
            try journal?.append(adds)
            for (line, isRecord) in lines { forward(line, isRecord: isRecord) }
            try output.flush()
            adds.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
        }
        while let bytes = try input.next() {
            switch RecordLine.classify(bytes, lineNumber: input.lineNumber) {
            case .photo(var record):
                if journaledBy == nil || record.object["jid"]?.stringValue == nil {
                    let jid = UUID().uuidString.lowercased()
                    record.object["jid"] = .string(jid)
                    if let journal { adds.append(journal.add(record.json, jid: jid)) }
                }
                lines.append((record.json, true))
            case .other(let json):
                lines.append((json, false))
            case .boundary, nil:
                break  // this command decides the batches
            case .malformed(let number, let reason):
                malformed += 1
                try reject(bytes, line: number, reason: reason)
            }
            if !input.hasBufferedLine || lines.count >= Self.groupCommitLimit { try drain() }
        }
        try drain()
        closeBatch()
        try output.flush()
        return malformed > 0 ? .partial : .ok
    }

    /// Keeps a line that is not a record in `<journal>.rejected`, so nothing is silently lost.
    func reject(_ bytes: [UInt8], line: Int, reason: String) throws {
        guard let journal else {
            Log.error("stdin line \(line): \(reason); line skipped")
            return
        }
        Log.error("stdin line \(line): \(reason); line kept in \(journal.rejectedPath)")
        let entry: JSON = ["line": .int(line), "reason": .string(reason), "text": .string(String(decoding: bytes, as: UTF8.self))]
        let fd = open(journal.rejectedPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        try AtomicFile.writeAll(fd, entry.serializedBytes + [0x0A], path: journal.rejectedPath)
    }
}
