/// `immich-trash`: moves the assets of photos deleted in iCloud to Immich's trash, and restores
/// those of photos back from Recently Deleted.
public enum ImmichTrashCommand {
    public static let spec = CommandSpec(
        name: "immich-trash",
        summary: "move the assets of photos deleted in iCloud to Immich's trash, and restore returning ones",
        usage: "immich-trash [--no-restore] < records.ndjson > records.ndjson",
        discussion: """
            Reads the records immich-scan annotated. The assets of a record with "deleted": true (a photo deleted \
            in iCloud) go to Immich's trash with DELETE /api/assets and force false: they stay recoverable there for \
            Immich's trash period, and nothing is ever deleted for good. The assets of a record whose "changed" \
            holds "restored" (back from Recently Deleted) come out of the trash with POST /api/trash/restore/assets, \
            unless --no-restore is given; an asset a library scan trashed because its file was missing comes back \
            with the next scan that finds the file instead. Trash states are read for each batch first, so assets \
            already where they belong cost no request and a second run changes nothing. Other records are \
            forwarded untouched. If Immich rejects a bulk request, the bad ids are found by halving and only their \
            records get an error.
            """,
        options: ImmichTrashOptions.all,
        examples: [
            ("immich-scan --library-id $LIB < records.ndjson | immich-trash | immich-batch --commit",
             "Mirror iCloud deletions (--immich-delete-removed)."),
            ("immich-trash --dry-run", "Say what would be trashed or restored; change nothing."),
            ("immich-trash --no-restore", "Trash deleted photos, but leave returning ones in Immich's trash."),
        ],
        environment: ImmichOptions.httpEnvironment)

    public static func run(_ arguments: ParsedArguments, input: LineReader = LineReader(fileDescriptor: 0), output: LineWriter = .standardOutput) async throws -> ExitCode {
        _ = try PathMapping(arguments: arguments[ImmichStepOptions.pathMap])
        let concurrency = try arguments[ImmichOptions.concurrency]
        let client = try await ImmichOptions.connect(arguments)
        let trasher = AssetTrasher(client: client, restore: !arguments[ImmichTrashOptions.noRestore], concurrency: concurrency,
                                   dryRun: arguments[ImmichOptions.dryRun])
        return try await ImmichStepOptions.runStep(AssetTrasher.step, input: input, output: output, counters: { trasher.counters }) {
            try await trasher.process(&$0)
        }
    }
}

/// immich-trash's option table.
public enum ImmichTrashOptions {
    static let noRestore = Flag("no-restore", help: "Leave the assets of photos back from Recently Deleted in Immich's trash.")

    static let all: [any OptionDeclaration] = ImmichOptions.connection + [noRestore, ImmichStepOptions.pathMap, ImmichOptions.concurrency, ImmichOptions.dryRun]
}
