import Foundation

/// `immich-batch`: groups records into batches and keeps the pending journal, so a crash at any
/// point loses nothing. At the head of a pipeline it journals each record durably before
/// forwarding it and replays what is still pending first; with `--commit` at the tail it marks
/// records done when they arrive without errors and prints one summary line.
public enum ImmichBatchCommand {
    public static let spec = CommandSpec(
        name: "immich-batch",
        summary: "batch photo records for the Immich steps and keep them in a crash-safe journal",
        usage: "immich-batch [N|all] [--log FILE] | … | immich-batch --commit [--log FILE]",
        discussion: """
            Head of a pipeline: forwards records, inserting a batch boundary every N records (default 1: \
            each photo is its own batch; 'all': one batch at the end of input), after recording each one \
            in the journal. Records still pending from an earlier run are replayed first. \
            Tail of a pipeline (--commit): marks records that arrive without errors as done, keeps the \
            others for the next run, and prints one {"type":"summary"} line. A record that fails 5 runs \
            in a row moves to FILE.failed.
            """,
        arguments: [ArgumentSpec("N|all", help: "Records per batch, or 'all' for one batch at the end of input.", completion: .values(["all", "1", "10", "50", "100"]))],
        options: [
            OptionSpec("log", .value, valueName: "FILE", help: "The pending journal.", environment: "IMMICH_BATCH_LOG_FILE",
                       default: "~/.pyicloud/immich_pending_files.json", completion: .file),
            OptionSpec("commit", help: "Tail mode: mark arriving records done in the journal and print a summary."),
            OptionSpec("list", help: "Print the records still pending in the journal, then exit."),
            OptionSpec("dry-run", help: "Batch only: no journal write, no replay."),
            OptionSpec("journaled-by", .value, valueName: "RUN",
                       help: "Records that arrive with a \"jid\" are already in the journal, written there by icloudpd --plugin's pass RUN before their files got their final names: they are not journaled again, and RUN's entries are not replayed (they arrive on stdin)."),
        ],
        examples: [
            ("immich-batch 50 < records.ndjson | immich-scan | immich-stack | immich-batch --commit",
             "One library scan per 50 photos; an interrupted run resumes where it stopped."),
            ("immich-batch --list --log ~/.pyicloud/immich_pending_files.json",
             "Show what is still pending."),
        ])

    public enum BatchSize: Sendable, Equatable {
        case every(Int)
        case endOfInput

        public static func parse(_ text: String?) throws(ToolError) -> BatchSize {
            guard let text else { return .every(1) }
            if text.lowercased() == "all" { return .endOfInput }
            guard let count = Int(text), count >= 1 else {
                throw ToolError.usage("invalid batch size '\(text)': expected a whole number ≥ 1 or 'all'")
            }
            return .every(count)
        }
    }

    public static func run(_ arguments: ParsedArguments, input: LineReader = LineReader(fileDescriptor: 0), output: LineWriter = .standardOutput) async throws -> ExitCode {
        let size = try BatchSize.parse(arguments.positionals.first)
        let path = expandTilde(arguments.value("log") ?? PendingJournal.defaultPath(environment: arguments.environment), environment: arguments.environment)
        let dryRun = arguments.flag("dry-run")
        if arguments.flag("list") {
            let journal = try PendingJournal(path: path)
            for pending in try journal.compact(countAttempt: false).pending { output.queue(pending.record) }
            try output.flush()
            return .ok
        }
        if arguments.flag("commit") {
            return try JournalCommitter(journal: dryRun ? nil : try PendingJournal(path: path), input: input, output: output).run()
        }
        return try JournalBatcher(journal: dryRun ? nil : try PendingJournal(path: path), size: size, input: input, output: output,
                                  journaledBy: arguments.value("journaled-by")).run()
    }

    static func expandTilde(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst()
    }
}

/// Head of the pipeline: journal, then forward, inserting boundaries.
struct JournalBatcher {
    let journal: PendingJournal?
    let size: ImmichBatchCommand.BatchSize
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
}
