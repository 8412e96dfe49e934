import Foundation

/// `immich-scan`: registers the files of each batch in the Immich external library and adds
/// each file's asset id to its record. One library scan per batch at most, only when a file
/// is not registered yet.
public enum ImmichScanCommand {
    public static let spec = CommandSpec(
        name: "immich-scan",
        summary: "register downloaded files in an Immich external library and annotate their asset ids",
        usage: "immich-scan [options] < records.ndjson > records.ndjson",
        discussion: """
            Reads photo records (one JSON object per line), finds each file's asset by its exact path, \
            triggers at most one library scan per batch when some are missing, waits for them, and writes \
            the records with "asset" ids added. A scan walks the whole import path, so the next one starts \
            no sooner than the last one took after it ended (at most 60 s): the server scans at most half \
            the time during a long import. Files that never appear get an entry in the record's \
            "errors" and are still forwarded, so immich-batch --commit keeps them for the next run. The files \
            of a photo deleted in iCloud ("deleted": true) are only looked up, in Immich's trash too, never \
            scanned for, and one Immich does not have is no error; those of a photo back from Recently Deleted \
            ("restored" in "changed") are looked up in the trash too, for immich-trash.
            """,
        options: ImmichScanOptions.all,
        examples: [
            ("immich-batch 50 < records.ndjson | immich-scan --library-id $LIB | immich-batch --commit",
             "Register every photo, one scan per 50 photos, with IMMICH_SERVER_URL and IMMICH_API_KEY set."),
            ("immich-scan --path-map /mnt/photos=/data/photos --scan-timeout 60 < records.ndjson",
             "Immich runs in Docker and sees /mnt/photos as /data/photos; wait up to a minute per scan."),
        ],
        environment: ImmichOptions.httpEnvironment)

    public static func run(_ arguments: ParsedArguments, input: LineReader = LineReader(fileDescriptor: 0), output: LineWriter = .standardOutput) async throws -> ExitCode {
        let timeout = try arguments[ImmichScanOptions.scanTimeout]
        let pollInterval = try arguments[ImmichScanOptions.pollInterval]
        let mapping = try PathMapping(arguments: arguments[ImmichScanOptions.pathMap])
        let concurrency = try arguments[ImmichOptions.concurrency]
        let client = try await ImmichOptions.connect(arguments)
        let session = try await client.openLibrary(id: arguments[ImmichOptions.libraryId] ?? "")
        Log.debug("Immich \(client.version), library '\(session.library.name)' with import paths \(session.library.importPaths.joined(separator: ", "))")
        let scanner = LibraryScanner(session: session, mapping: mapping, timeout: timeout.value, pollInterval: pollInterval.value,
                                     concurrency: concurrency, dryRun: arguments[ImmichOptions.dryRun])
        let runner = BatchRunner(step: LibraryScanner.step, reader: input, writer: output)
        let summary = try await runner.run { records in try await scanner.process(&records) }
        try output.writeLine(scanner.statsLine())
        let stats = scanner.stats
        Log.info("\(summary.records) records, \(stats.files) files: \(stats.alreadyRegistered) already registered, \(stats.newlyRegistered) registered by \(stats.scans) scan(s), \(stats.missing) missing; \(PeakRSS.sentence)")
        return summary.exitCode
    }
}

/// immich-scan's option table.
public enum ImmichScanOptions {
    static let scanTimeout = Option<Seconds>(
        "scan-timeout", valueName: "SECONDS", help: "How long to wait for a scan to register missing files; 0 waits forever.",
        environment: "IMMICH_SCAN_TIMEOUT", default: LibraryScanner.defaultTimeout)
    static let pollInterval = Option<Seconds>(
        "poll-interval", valueName: "SECONDS", help: "Time between checks while waiting for a scan.",
        environment: "IMMICH_POLL_INTERVAL", default: LibraryScanner.defaultPollInterval)
    static let pathMap = PlainOption<[String]>(
        "path-map", valueName: "LOCAL=SERVER",
        help: "Rewrite a local folder to the path Immich sees (e.g. a Docker mount): /mnt/photos=/data/photos.")

    static let all: [any OptionDeclaration] = ImmichOptions.connection + [
        ImmichOptions.libraryId, scanTimeout, pollInterval, pathMap, ImmichOptions.concurrency, ImmichOptions.dryRun,
    ]
}
