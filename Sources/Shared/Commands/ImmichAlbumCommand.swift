/// `immich-album`: adds the chosen sizes of each photo to albums named by date-aware rules.
public enum ImmichAlbumCommand {
    public static let spec = CommandSpec(
        name: "immich-album",
        summary: "add photos to Immich albums named by [sizes]:template rules with {:%Y/%m} dates",
        usage: "immich-album RULE… [--album RULE]… [--timezone ZONE] < records.ndjson > records.ndjson",
        discussion: """
            Each RULE is '[size1,size2]:template' (only those sizes) or 'template' (every still size). A \
            template may hold any number of {:FORMAT} placeholders with strftime codes, e.g. 'iCloud/{:%Y/%m}'; \
            write {{ and }} for literal braces. The date is the photo's "created" time in its own UTC offset \
            unless --timezone says otherwise. A size selects the file served for it (the original for an \
            unedited photo's 'adjusted'). Albums are matched by exact name among those you own and those \
            shared with you (yours first, then the oldest) and read once per run; a missing album is created \
            with its first assets. Each album gets at most one add request per batch, and only for assets it \
            lacks, so a second run changes nothing. Adds done.album (the album names) to each record.
            """,
        arguments: [ArgumentSpec("RULE", help: "An album rule, e.g. '[adjusted]:iCloud/{:%Y/%m}'.", repeated: true)],
        options: ImmichOptions.connection + [
            OptionSpec("album", .repeated, valueName: "RULE", help: "An album rule (repeatable), same as a RULE argument."),
            OptionSpec("timezone", .value, valueName: "ZONE",
                       help: "Zone of album dates: photo (its own offset), local, utc, or a tz name such as Europe/Paris.",
                       environment: "IMMICH_ALBUM_TIMEZONE", default: "photo", completion: .values(["photo", "local", "utc"])),
            ImmichOptions.concurrency,
            ImmichOptions.dryRun,
        ],
        examples: [
            ("immich-album '[adjusted]:iCloud' '[medium]:iCloud JPG' '[original]:iCloud Raw'",
             "Three albums by size type (the seed's real-world example)."),
            ("immich-album --album '[adjusted]:iCloud/{:%Y/%m}'", "One album per month, e.g. iCloud/2024/01."),
            ("immich-album 'iCloud Photos'", "Every size into one album."),
            ("immich-album --timezone Europe/Paris 'Photos/{:%Y}/{:%B}'", "Several placeholders, dates in Paris time."),
        ])

    public static func rules(_ arguments: ParsedArguments) throws(ToolError) -> [AlbumRule] {
        let sources = arguments.positionals + arguments.values("album")
        guard !sources.isEmpty else {
            throw ToolError.usage("no album rule: give at least one RULE, e.g. immich-album '[adjusted]:iCloud/{:%Y/%m}'")
        }
        var rules: [AlbumRule] = []
        for source in sources { rules.append(try AlbumRule(source)) }
        return rules
    }

    public static func run(_ arguments: ParsedArguments, input: LineReader = LineReader(fileDescriptor: 0), output: LineWriter = .standardOutput) async throws -> ExitCode {
        let rules = try rules(arguments)
        let zone = try AlbumTimeZone.parse(arguments.value("timezone"))
        let concurrency = try ImmichOptions.concurrency(arguments)
        let client = try await ImmichOptions.connect(arguments)
        let me: JSON
        do { me = try await client.call("GET", "/users/me") } catch { throw client.toolError(error, doing: "read the key's user") }
        guard let userId = me["id"]?.stringValue else { throw ToolError.runtime("unexpected answer to GET /api/users/me") }
        let filler = AlbumFiller(client: client, userId: userId, rules: rules, timeZone: zone, concurrency: concurrency, dryRun: arguments.flag("dry-run"))
        return try await ImmichStepOptions.runStep(stage: AlbumFiller.stage, input: input, output: output, counters: { filler.counters }) {
            try await filler.process(&$0)
        }
    }
}
