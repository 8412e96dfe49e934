#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// One pipeline run of `--plugin immich` (one per watch iteration): the downloader hands it
/// each photo record with `emit`, and `finish` ends the input, waits for the steps and returns
/// the run's summary.
///
/// `emit` never waits on Immich: records are queued and a writer thread feeds immich-batch,
/// which journals each one as it arrives. If a step fails, the next `emit` (or `finish`)
/// throws that step's error and the downloader stops: a failing child stops the run.
public final class ImmichPluginRun: @unchecked Sendable {
    // @unchecked: mutable state is guarded by `condition`.
    public let pipeline: ChildPipeline
    let router: RecordRouter
    private let condition = NSCondition()
    /// Records not yet written to immich-batch: 1 MiB in memory, the rest on disk.
    private let queue = SpillingByteQueue()
    private var closed = false
    private var broken = false
    private var summary = PluginSummary()
    private let writerDone = DispatchSemaphore(value: 0)

    /// Where the downloader journals records before renaming their files (nil in a dry run).
    public var photoJournal: (any PhotoJournal)? { journal }
    private let journal: PluginPhotoJournal?

    init(pipeline: ChildPipeline, router: RecordRouter, journal: PluginPhotoJournal?) {
        self.pipeline = pipeline
        self.router = router
        self.journal = journal
        let writer = Thread { [self] in writeLoop() }
        writer.name = "immich-records"
        writer.start()
    }

    /// Routes one photo record into the pipeline (or leaves it out); see `RecordRouter`.
    public func emit(_ record: PhotoRecord) throws(ToolError) {
        let route = router.route(record)
        let bytes = route == .skip ? nil : router.routed(record).map { $0.json.serializedBytes + [0x0A] }
        let (isBroken, queueError) = condition.withLock { () -> (Bool, ToolError?) in
            summary.count(record, route: route)
            if !broken, let bytes {
                do throws(ToolError) { try queue.append(bytes) } catch { return (broken, error) }
                condition.signal()
            }
            return (broken, nil)
        }
        if let queueError { throw queueError }
        if isBroken { throw stopped() }
    }

    /// The same for a record as JSON (what `--records` writes); lines that are not photo
    /// records are ignored.
    public func emit(_ json: JSON) throws(ToolError) {
        guard let object = json.objectValue, json["type"]?.stringValue ?? "photo" == "photo" else { return }
        try emit(PhotoRecord(object))
    }

    /// Ends the input and waits for every step. Throws the first failing step's error.
    public func finish() async throws(ToolError) -> PluginSummary {
        condition.withLock {
            closed = true
            condition.signal()
        }
        let exits = await pipeline.exits()
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in
                writerDone.wait()
                continuation.resume()
            }
        }
        if let failure = ChildPipeline.firstFailure(exits) { throw Self.error(failure) }
        var result = condition.withLock { summary }
        for line in pipeline.output.reversed() {
            if let json = try? JSON.parse(line), json["type"]?.stringValue == "summary" { result.pipeline = json; break }
        }
        result.partial = exits.contains { !$0.signaled && $0.status == ExitCode.partial.rawValue }
        if result.pipeline == nil && !pipeline.output.isEmpty {
            Log.warning("the Immich steps printed no summary line: \(pipeline.output.last ?? "")")
        }
        return result
    }

    private func writeLoop() {
        defer {
            pipeline.closeInput()
            writerDone.signal()
        }
        while true {
            let batch: [[UInt8]] = condition.withLock {
                while queue.isEmpty && !closed { condition.wait() }
                do throws(ToolError) { return try queue.take() } catch {
                    Log.error("\(error.message)")
                    broken = true
                    return []
                }
            }
            if batch.isEmpty { return }  // closed and drained (or the queue failed)
            for bytes in batch where !write(bytes) {
                condition.withLock { broken = true }
                return
            }
        }
    }

    /// False when immich-batch is gone (EPIPE).
    private func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(pipeline.inputDescriptor, $0.baseAddress, $0.count) }
            if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { return false }
        }
        return true
    }

    /// The error of the step that stopped the pipeline early.
    private func stopped() -> ToolError {
        pipeline.closeInput()
        guard pipeline.hasEnded(timeout: 60) else { return .runtime("the Immich steps stopped reading photo records") }
        let exits = pipeline.exitsNow
        return ChildPipeline.firstFailure(exits).map(Self.error) ?? .runtime("the Immich steps stopped reading photo records")
    }

    /// `immich-scan failed (exit 3): Immich rejected the API key …`, with the child's exit code
    /// when it is one of ours (3 stays an authentication failure).
    static func error(_ exit: ChildPipeline.Exit) -> ToolError {
        let how = exit.signaled ? "was killed by signal \(exit.status)" : "failed (exit \(exit.status))"
        let reason = exit.lastError.map { ": \($0)" } ?? ""
        let code = !exit.signaled ? ExitCode(rawValue: exit.status).flatMap { (1...4).contains($0.rawValue) ? $0 : nil } : nil
        return ToolError(code ?? .runtime, "\(exit.stage) \(how)\(reason); unfinished photos stay in the journal for the next run")
    }
}
