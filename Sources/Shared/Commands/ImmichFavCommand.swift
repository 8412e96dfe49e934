/// `immich-fav`: marks the chosen sizes of iCloud favourites as Immich favourites.
public enum ImmichFavCommand {
    public static let spec = CommandSpec(
        name: "immich-fav",
        summary: "mark the chosen sizes of iCloud favourites as favourites in Immich",
        usage: "immich-fav [SIZES] [--mirror] < records.ndjson > records.ndjson",
        discussion: """
            Reads the records immich-scan annotated. For each record whose "favorite" is true, the chosen sizes \
            (all still sizes without SIZES) become Immich favourites. A size selects the file served for it, so \
            for an unedited photo 'adjusted' is its original. Favourites are never removed unless --mirror is \
            given. Favourite states are read by id for each batch (Immich 3.2 and later) or listed once per run \
            (older); one bulk PUT /api/assets per batch (1,000 ids at most each); assets already in the wanted \
            state are skipped, so a second run changes nothing. If Immich rejects the bulk \
            request, the bad ids are found by halving and only their records get an error. A photo deleted in iCloud ("deleted": true) is forwarded untouched.
            """,
        arguments: [ArgumentSpec("SIZES", help: "Comma-separated sizes to mark (default: all still sizes).", completion: ImmichStepOptions.sizeValues)],
        options: ImmichFavOptions.all,
        examples: [
            ("immich-scan --library-id $LIB < records.ndjson | immich-fav adjusted | immich-batch --commit",
             "Mark the adjusted size of favourites (--immich-favorite adjusted)."),
            ("immich-fav adjusted,medium", "Mark several sizes (--immich-favorite adjusted,medium)."),
            ("immich-fav", "Mark every size (--immich-favorite)."),
            ("immich-fav --mirror adjusted", "Also remove the favourite mark where iCloud has none."),
        ],
        environment: ImmichOptions.httpEnvironment)

    public static func run(_ arguments: ParsedArguments, input: LineReader = LineReader(fileDescriptor: 0), output: LineWriter = .standardOutput) async throws -> ExitCode {
        let sizes = try SizeList.parse(arguments.positionals.first, what: "SIZES")
        _ = try PathMapping(arguments: arguments[ImmichStepOptions.pathMap])
        let concurrency = try arguments[ImmichOptions.concurrency]
        let client = try await ImmichOptions.connect(arguments)
        let marker = FavoriteMarker(client: client, sizes: sizes, mirror: arguments[ImmichFavOptions.mirror], concurrency: concurrency,
                                    dryRun: arguments[ImmichOptions.dryRun])
        return try await ImmichStepOptions.runStep(FavoriteMarker.step, input: input, output: output, counters: { marker.counters }) {
            try await marker.process(&$0)
        }
    }
}

/// immich-fav's option table.
public enum ImmichFavOptions {
    static let mirror = Flag("mirror", help: "Also unmark the chosen sizes of photos that are not iCloud favourites.")

    static let all: [any OptionDeclaration] = ImmichOptions.connection + [mirror, ImmichStepOptions.pathMap, ImmichOptions.concurrency, ImmichOptions.dryRun]
}
