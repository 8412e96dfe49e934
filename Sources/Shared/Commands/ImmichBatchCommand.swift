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
        options: ImmichBatchOptions.all,
        examples: [
            ("immich-batch 50 < records.ndjson | immich-scan | immich-stack | immich-batch --commit",
             "One library scan per 50 photos; an interrupted run resumes where it stopped."),
            ("immich-batch --list --log ~/.pyicloud/immich_pending_files.json",
             "Show what is still pending."),
        ],
        environment: [("HOME", "Where ~ in the default journal path points.")],
        files: [
            ("~/.pyicloud/immich_pending_files.json",
             "The pending journal (--log): one JSON line per change, compacted at start; FILE.lock serialises writers and FILE.failed keeps the records that failed five runs in a row."),
        ])

    public static func run(_ arguments: ParsedArguments, input: LineReader = LineReader(fileDescriptor: 0), output: LineWriter = .standardOutput) async throws -> ExitCode {
        let size = try JournalBatchSize.parse(arguments.positionals.first)
        let path = PendingJournal.path(arguments[ImmichBatchOptions.log], environment: arguments.environment)
        let dryRun = arguments[ImmichBatchOptions.dryRun]
        if arguments[ImmichBatchOptions.list] {
            let journal = try PendingJournal(path: path)
            for pending in try journal.compact(countAttempt: false).pending { output.queue(pending.record) }
            try output.flush()
            return .ok
        }
        let commit = arguments[ImmichBatchOptions.commit]
        let code: ExitCode
        if commit {
            code = try JournalCommitter(journal: dryRun ? nil : try PendingJournal(path: path), input: input, output: output).run()
        } else {
            code = try JournalBatcher(journal: dryRun ? nil : try PendingJournal(path: path), size: size, input: input, output: output,
                                      journaledBy: arguments[ImmichBatchOptions.journaledBy]).run()
        }
        Log.info("\(commit ? "commit" : "batching") done; \(PeakRSS.sentence)")
        return code
    }
}

/// immich-batch's option table.
public enum ImmichBatchOptions {
    static let log = PlainOption<String>(
        "log", valueName: "FILE", help: "The pending journal.", environment: "IMMICH_BATCH_LOG_FILE",
        default: PendingJournal.defaultLocation, completion: .file)
    static let commit = Flag("commit", help: "Tail mode: mark arriving records done in the journal and print a summary.")
    static let list = Flag("list", help: "Print the records still pending in the journal, then exit.")
    static let dryRun = Flag("dry-run", help: "Batch only: no journal write, no replay.")
    static let journaledBy = PlainOption<String?>(
        "journaled-by", valueName: "RUN",
        help: "Records that arrive with a \"jid\" are already in the journal, written there by icloudpd --plugin's pass RUN before their files got their final names: they are not journaled again, and RUN's entries are not replayed (they arrive on stdin).")

    static let all: [any OptionDeclaration] = [log, commit, list, dryRun, journaledBy]
}
