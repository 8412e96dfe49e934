/// Drives a pipeline step: reads lines, gathers photo records up to each batch boundary (or end
/// of input), lets the step work on the whole batch at once, then writes the batch's lines in
/// their original order followed by the boundary, and flushes. Malformed lines are reported
/// with their line number and skipped; the rest is still processed.
public struct BatchRunner {
    public struct Summary: Sendable {
        public var records = 0
        public var batches = 0
        public var malformedLines = 0
        /// Records to which this step added an error.
        public var recordsWithNewErrors = 0

        public var exitCode: ExitCode { malformedLines > 0 || recordsWithNewErrors > 0 ? .partial : .ok }
    }

    public let step: ImmichStep
    public let reader: LineReader
    public let writer: LineWriter
    public let inputName: String

    public init(step: ImmichStep, reader: LineReader, writer: LineWriter, inputName: String = "stdin") {
        self.step = step
        self.reader = reader
        self.writer = writer
        self.inputName = inputName
    }

    /// `process` receives the batch's records and changes them in place.
    public func run(_ process: (inout [PhotoRecord]) async throws -> Void) async throws -> Summary {
        var summary = Summary()
        var lines: [RecordLine] = []
        func finishBatch(boundary: JSON?) async throws {
            var records: [PhotoRecord] = lines.compactMap { if case .photo(let record) = $0 { record } else { nil } }
            if !records.isEmpty || boundary != nil {
                let errorsBefore = records.map(\.errors.count)
                if !records.isEmpty { try await process(&records) }
                summary.records += records.count
                summary.recordsWithNewErrors += zip(records, errorsBefore).filter { $0.errors.count > $1 }.count
                summary.batches += 1
            }
            var next = records.makeIterator()
            for line in lines {
                if case .photo = line { writer.queue(next.next()!.json) } else if let json = line.json { writer.queue(json) }
            }
            if let boundary { writer.queue(boundary) }
            try writer.flush()
            lines.removeAll(keepingCapacity: true)
        }
        while let bytes = try reader.next() {
            guard let line = RecordLine.classify(bytes, lineNumber: reader.lineNumber) else { continue }
            switch line {
            case .malformed(let number, let reason):
                summary.malformedLines += 1
                Log.error("\(inputName) line \(number): \(reason); line skipped")
            case .boundary(let json):
                try await finishBatch(boundary: json)
            case .photo, .other:
                lines.append(line)
            }
        }
        try await finishBatch(boundary: nil)
        return summary
    }
}
