import Foundation
import Synchronization

/// Plugin mode's last step for each photo, on a thread of its own: journal the photo's record,
/// then rename its finished `.part` files to their final names, then hand the record on.
///
/// A crash before the journal sync leaves only `.part` files (the next run resumes them); after
/// it, the journal holds the record and immich-batch replays it. There is no moment when a
/// file is visible under its name but in no journal. Photos that finish together share one
/// journal sync (group commit), so the downloads never wait on the disk.
final class PhotoPublisher: @unchecked Sendable {
    // @unchecked: `queue`, `closed` and `busy` are guarded by `condition`.

    /// One photo whose files all downloaded.
    struct Item: Sendable {
        var name: String
        var asset: PhotoAsset
        var plan: AssetPlan
        var statuses: [RecordSlot: FileStatus]
        /// Nil when the photo gets no record (the incremental sync dropped an unchanged one).
        var record: JSON?
        /// Downloaded files still under their `.part` names.
        var staged: [FileJob]
    }

    private let journal: any PhotoJournal
    private let inFlight: InFlightFiles
    /// Metadata, record and state for a published photo (the part shared with the direct mode).
    private let settle: @Sendable (Item, JSON?) -> Void
    private let failedPhoto: @Sendable (PhotoAsset) -> Void
    private let condition = NSCondition()
    private var queue: [Item] = []
    private var closed = false
    private let failures = Mutex<[String]>([])
    private let done = DispatchSemaphore(value: 0)

    init(journal: any PhotoJournal, inFlight: InFlightFiles, settle: @escaping @Sendable (Item, JSON?) -> Void,
         failedPhoto: @escaping @Sendable (PhotoAsset) -> Void) {
        self.journal = journal
        self.inFlight = inFlight
        self.settle = settle
        self.failedPhoto = failedPhoto
        let thread = Thread { [self] in loop() }
        thread.name = "photo-publisher"
        thread.start()
    }

    func submit(_ item: Item) {
        condition.withLock {
            queue.append(item)
            condition.signal()
        }
    }

    /// Publishes what is queued, stops the thread and returns the names of photos that failed.
    func finish() async -> [String] {
        condition.withLock {
            closed = true
            condition.signal()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [self] in
                done.wait()
                continuation.resume()
            }
        }
        return failures.withLock { $0 }
    }

    private func loop() {
        defer { done.signal() }
        while true {
            let items: [Item] = condition.withLock {
                while queue.isEmpty && !closed { condition.wait() }
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            }
            if items.isEmpty { return }
            publish(items)
        }
    }

    private func publish(_ items: [Item]) {
        var forwarded: [JSON?] = Array(repeating: nil, count: items.count)
        let records = items.indices.compactMap { i in items[i].record.map { (i, $0) } }
        do throws(ToolError) {
            let journaled = try journal.journal(records.map(\.1))
            for ((index, _), line) in zip(records, journaled) { forwarded[index] = line }
        } catch {
            // Nothing was renamed: the finished .part files are resumed by the next run.
            Log.error("cannot journal \(items.count) photo(s) for Immich: \(error.message); their files stay as .part until the next run")
            for item in items { abandon(item) }
            return
        }
        for (item, line) in zip(items, forwarded) {
            var failure: String? = nil
            for job in item.staged {
                do throws(FileDownloader.Failure) { try FileDownloader.publish(job) } catch { failure = failure ?? error.description }
                inFlight.release(job)
            }
            if let failure {
                // Journaled: the next run replays it (and downloads what is missing).
                Log.error(failure)
                failures.withLock { $0.append(item.name) }
                failedPhoto(item.asset)
                continue
            }
            settle(item, line)
        }
    }

    private func abandon(_ item: Item) {
        for job in item.staged {
            inFlight.release(job)
        }
        failures.withLock { $0.append(item.name) }
        failedPhoto(item.asset)
    }
}
