/// `immich-stack`: stacks each photo's size variants and links live videos to extra sizes.
public enum ImmichStackCommand {
    public static let spec = CommandSpec(
        name: "immich-stack",
        summary: "stack the size variants of each photo in Immich and link live videos to every size",
        usage: "immich-stack [SIZES] [--associate-live-with-extra-sizes[=SIZES]] < records.ndjson > records.ndjson",
        discussion: """
            Reads the records immich-scan annotated and stacks each photo's still sizes. Without SIZES every \
            still size written is stacked and the best one is on top (adjusted, original, alternative, medium, \
            thumb). With SIZES (e.g. adjusted,original) only those sizes are stacked, the first present one on \
            top; unlisted sizes are left out of the stack. A size selects the file served for it, so for an \
            unedited photo 'adjusted' is its original. Videos are never stacked. A stack that already holds the \
            photo's sizes keeps the primary it has when that primary is one of them (you may have picked it in \
            Immich); missing sizes are added; a photo already stacked right costs no request. Existing stacks \
            are read once per run (GET /api/stacks). Adds "stack" and done.stack to each record.
            --associate-live-with-extra-sizes links each chosen still (all still sizes without a list) to the \
            live video of its own size, else the original's, with PUT /api/assets/{id}; stills already linked \
            to that video are skipped. Needs Immich v1.113 (stacks) and v1.115 (live links). A photo deleted in \
            iCloud ("deleted": true) is forwarded untouched.
            """,
        arguments: [ArgumentSpec("SIZES", help: "Comma-separated sizes to stack, primary first (default: all still sizes).", completion: ImmichStepOptions.sizeValues)],
        options: ImmichStackOptions.all,
        examples: [
            ("immich-scan --library-id $LIB < records.ndjson | immich-stack | immich-batch --commit",
             "Stack all downloaded sizes, adjusted on top (--immich-stack-media)."),
            ("immich-stack adjusted,original", "Stack only these sizes, adjusted on top (--immich-stack-media adjusted,original)."),
            ("immich-stack --associate-live-with-extra-sizes", "Stack all sizes and give every size the live video (--associate-live-with-extra-sizes)."),
            ("immich-stack --no-stack --associate-live-with-extra-sizes=adjusted,medium", "Only link the live video to the adjusted and medium sizes."),
        ],
        environment: ImmichOptions.httpEnvironment)

    public static func run(_ arguments: ParsedArguments, input: LineReader = LineReader(fileDescriptor: 0), output: LineWriter = .standardOutput) async throws -> ExitCode {
        let noStack = arguments[ImmichStackOptions.noStack]
        let stackSizes: SizeList? = noStack ? nil : try SizeList.parse(arguments.positionals.first, what: "SIZES")
        if noStack, !arguments.positionals.isEmpty {
            throw ToolError.usage("SIZES make no sense with --no-stack")
        }
        let liveSizes = try arguments[ImmichStackOptions.associateLive]
        guard stackSizes != nil || liveSizes != nil else {
            throw ToolError.usage("nothing to do: --no-stack without --associate-live-with-extra-sizes")
        }
        _ = try PathMapping(arguments: arguments[ImmichStepOptions.pathMap])
        let concurrency = try arguments[ImmichOptions.concurrency]
        let client = try await ImmichOptions.connect(arguments)
        if stackSizes != nil, !client.capabilities.stacksAPI {
            throw ToolError.runtime("Immich \(client.version) has no stacks API: stacking needs v1.113 or newer")
        }
        if liveSizes != nil, client.capabilities.liveLinkField == nil {
            throw ToolError.runtime("Immich \(client.version) cannot link live videos by request: --associate-live-with-extra-sizes needs v1.115 or newer")
        }
        let stacker = PhotoStacker(client: client, stackSizes: stackSizes, liveSizes: liveSizes, concurrency: concurrency,
                                   dryRun: arguments[ImmichOptions.dryRun])
        return try await ImmichStepOptions.runStep(PhotoStacker.step, input: input, output: output, counters: { stacker.counters }) {
            try await stacker.process(&$0)
        }
    }
}

/// immich-stack's option table.
public enum ImmichStackOptions {
    static let associateLive = Option<SizeList?>(
        "associate-live-with-extra-sizes", valueName: "SIZES",
        help: "Link live videos to these still sizes (all without a list). Put SIZES for stacking before it, or write --associate-live-with-extra-sizes=LIST.",
        completion: ImmichStepOptions.sizeValues, parseOptional: SizeList.parse(option:name:))
    static let noStack = Flag("no-stack", help: "Do not stack; only link live videos.")

    static let all: [any OptionDeclaration] = ImmichOptions.connection + [
        associateLive, noStack, ImmichStepOptions.pathMap, ImmichOptions.concurrency, ImmichOptions.dryRun,
    ]
}
