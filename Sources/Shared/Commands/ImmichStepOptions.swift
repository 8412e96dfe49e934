/// Options the stack, favourite and album steps share beyond the connection.
enum ImmichStepOptions {
    static let pathMap = PlainOption<[String]>(
        "path-map", valueName: "LOCAL=SERVER",
        help: "Rewrite a local folder to the path Immich sees (as for immich-scan); accepted for symmetry, states are read by asset id.")

    static let sizeValues = ValueCompletion.values(PhotoRecord.stillSizes)

    /// Runs one step over the input: batches, the end-of-input stats line, a log summary.
    static func runStep(_ step: ImmichStep, input: LineReader, output: LineWriter, counters: () -> StepCounters,
                        process: (inout [PhotoRecord]) async throws -> Void) async throws -> ExitCode {
        let runner = BatchRunner(step: step, reader: input, writer: output)
        let summary = try await runner.run(process)
        let final = counters()
        try output.writeLine(final.line)
        Log.info("\(summary.records) record(s) in \(summary.batches) batch(es): \(final.sentence); \(PeakRSS.sentence)")
        return summary.exitCode
    }
}
