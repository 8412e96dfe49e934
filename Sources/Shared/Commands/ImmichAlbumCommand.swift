/// `immich-album`: adds the chosen sizes of each photo to albums named by date-aware rules.
public enum ImmichAlbumCommand {
    public static let spec = CommandSpec(
        name: "immich-album",
        summary: "add photos to Immich albums named by [sizes]:template rules with {:%Y/%m} dates and {album}",
        usage: "immich-album RULE… [--album RULE]… [--timezone ZONE] [--mirror] [--state FILE] < records.ndjson > records.ndjson",
        discussion: """
            Each RULE is '[size1,size2]:template' (only those sizes) or 'template' (every still size). A \
            template may hold any number of {:FORMAT} placeholders with strftime codes, e.g. 'iCloud/{:%Y/%m}'; \
            write {{ and }} for literal braces. {album} stands for each iCloud album the record lists under \
            "albums" (a folder's album as 'Folder/Album'): one Immich album per iCloud album, none for a photo in \
            none or a record without "albums". The date is the photo's "created" time in its own UTC offset \
            unless --timezone says otherwise. A size selects the file served for it (the original for an \
            unedited photo's 'adjusted'). Albums are matched by exact name among those you own and those \
            shared with you (yours first, then the oldest) and read once per run; a missing album is created \
            with its first assets. Each album gets at most one add request per batch, and only for assets it \
            lacks, so a second run changes nothing. Adds done.album (the album names) to each record. \
            Records of photos deleted in iCloud ("deleted": true) join no album. Every asset an add really \
            added (not one already there) is remembered in the --state file with its album and rule. With \
            --mirror, such an asset leaves that album when its rule no longer puts it there: the photo left \
            the iCloud album ({album} rules), or was deleted in iCloud (every rule); records without "albums" \
            are left alone, and nothing this command did not add is ever removed.
            """,
        arguments: [ArgumentSpec("RULE", help: "An album rule, e.g. '[adjusted]:iCloud/{:%Y/%m}'.", repeated: true)],
        options: ImmichAlbumOptions.all,
        examples: [
            ("immich-album '[adjusted]:iCloud' '[medium]:iCloud JPG' '[original]:iCloud Raw'",
             "Three albums by size type (the icloudpd Immich plugin's real-world example)."),
            ("immich-album --album '[adjusted]:iCloud/{:%Y/%m}'", "One album per month, e.g. iCloud/2024/01."),
            ("immich-album 'iCloud Photos'", "Every size into one album."),
            ("immich-album --timezone Europe/Paris 'Photos/{:%Y}/{:%B}'", "Several placeholders, dates in Paris time."),
            ("immich-album --mirror '[adjusted]:iCloud/{album}'",
             "One Immich album per iCloud album, e.g. iCloud/Family/Kids; photos that left an iCloud album leave its Immich album."),
        ],
        environment: [
            ("TZ", "The zone of album dates with --timezone local (the machine's when unset)."),
        ] + ImmichOptions.httpEnvironment,
        files: [
            (AlbumClaims.defaultLocation, "The assets immich-album added to each album (SQLite; --state), the only ones --mirror removes."),
        ])

    public static func rules(_ arguments: ParsedArguments) throws(ToolError) -> [AlbumRule] {
        let sources = arguments.positionals + arguments[ImmichAlbumOptions.album]
        guard !sources.isEmpty else {
            throw ToolError.usage("no album rule: give at least one RULE, e.g. immich-album '[adjusted]:iCloud/{:%Y/%m}'")
        }
        var rules: [AlbumRule] = []
        for source in sources { rules.append(try AlbumRule(source)) }
        return rules
    }

    public static func run(_ arguments: ParsedArguments, input: LineReader = LineReader(fileDescriptor: 0), output: LineWriter = .standardOutput) async throws -> ExitCode {
        let rules = try rules(arguments)
        let zone = try arguments[ImmichAlbumOptions.timezone]
        let concurrency = try arguments[ImmichOptions.concurrency]
        let client = try await ImmichOptions.connect(arguments)
        let me: JSON
        do { me = try await client.call("GET", "/users/me") } catch { throw client.toolError(error, doing: "read the key's user") }
        guard let userId = me["id"]?.stringValue else { throw ToolError.runtime("unexpected answer to GET /api/users/me") }
        let claims = try AlbumClaims(path: arguments[ImmichAlbumOptions.state], dryRun: arguments[ImmichOptions.dryRun])
        let filler = AlbumFiller(client: client, userId: userId, rules: rules, timeZone: zone, claims: claims,
                                 mirror: arguments[ImmichAlbumOptions.mirror], concurrency: concurrency, dryRun: arguments[ImmichOptions.dryRun])
        return try await ImmichStepOptions.runStep(AlbumFiller.step, input: input, output: output, counters: { filler.counters }) {
            try await filler.process(&$0)
        }
    }
}

/// immich-album's option table.
public enum ImmichAlbumOptions {
    static let album = PlainOption<[String]>("album", valueName: "RULE", help: "An album rule (repeatable), same as a RULE argument.")
    static let timezone = Option<AlbumTimeZone>(
        "timezone", valueName: "ZONE", help: "Zone of album dates: photo (its own offset), local, utc, or a tz name such as Europe/Paris.",
        environment: "IMMICH_ALBUM_TIMEZONE", default: .photo, completion: .values(["photo", "local", "utc"]))

    static let mirror = Flag(
        "mirror", help: "Also remove from an album the assets this command added that their rule no longer puts there (left the iCloud album, or deleted).")
    static let state = PlainOption<String>(
        "state", valueName: "FILE", help: "Where the assets this command added to albums are remembered (SQLite).",
        environment: "IMMICH_ALBUM_STATE", default: AlbumClaims.defaultLocation, completion: .file)

    static let all: [any OptionDeclaration] = ImmichOptions.connection + [album, timezone, mirror, state, ImmichOptions.concurrency, ImmichOptions.dryRun]
}

extension AlbumTimeZone: OptionValue {
    public static func parse(_ text: String, option: String) throws(ToolError) -> AlbumTimeZone { try parse(text) }

    /// Only the default is ever shown.
    public var helpText: String {
        switch self {
        case .photo: "photo"
        case .zone(let rule): "\(rule)"
        }
    }
}
