import Foundation
import Synchronization

/// Files one icloudpd iteration downloaded, read and reset by the watch loop for the status file.
public final class IterationCounters: Sendable {
    public static let shared = IterationCounters()
    private let downloaded = Mutex(0)

    public func addDownloaded(_ count: Int) { downloaded.withLock { $0 += count } }
    /// The count so far, set back to zero.
    public func take() -> Int { downloaded.withLock { let now = $0; $0 = 0; return now } }
}

/// What one iteration of icloudpd did, for its exit code, the status file and `GET /status`.
public struct IterationReport: Sendable {
    public enum Outcome: String, Sendable { case ok, partial, failed, cancelled }
    public var outcome: Outcome = .ok
    public var downloaded = 0
    public var registered = 0
    public var errors = 0
    public var pending = 0
    public var error: String?

    public var exitCode: ExitCode {
        switch outcome {
        case .ok: .ok
        case .partial: .partial
        case .failed, .cancelled: .runtime
        }
    }
}

/// The watch loop's memory between iterations: consecutive failures (for the back-off and the
/// `recovered` event), the last report, and the status file / page that shows them.
public final class WatchState: Sendable {
    public let interval: Int?
    public let statusPath: String?
    let script: NotificationScript?

    struct Snapshot: Sendable {
        var lastStart: Date?
        var lastEnd: Date?
        var report: IterationReport?
        var lastError: String?
        var lastErrorAt: Date?
        var failures = 0
        var iterations = 0
        var failedIterations = 0
        var nextStart: Date?
        var waitingFor: String?
        /// Since the process started.
        var totals = IterationReport()
    }
    private let snapshot = Mutex(Snapshot())
    let resumeFlag = Mutex(false)

    public init(interval: Int?, statusPath: String?, script: NotificationScript?) {
        self.interval = interval
        self.statusPath = statusPath
        self.script = script
    }

    public var consecutiveFailures: Int { snapshot.withLock { $0.failures } }

    /// The wait before the next iteration: the interval, doubled after each consecutive failure
    /// up to four times the interval.
    public static func wait(interval: Int, failures: Int) -> Int {
        failures <= 0 ? interval : interval * (1 << min(failures, 2))
    }

    public func started() {
        snapshot.withLock {
            $0.lastStart = Date()
            $0.nextStart = nil
        }
    }

    /// What the process waits for now (a code, a password), shown on the page and in the status.
    public func waiting(for what: String?) { snapshot.withLock { $0.waitingFor = what } }

    /// Records an iteration's end; notifies `iteration-failed` or `recovered`; returns the wait
    /// before the next iteration (nil without watch mode).
    @discardableResult
    public func finished(_ report: IterationReport) async -> Int? {
        let (failures, previous) = snapshot.withLock { s -> (Int, Int) in
            let previous = s.failures
            s.lastEnd = Date()
            s.report = report
            s.iterations += 1
            s.totals.downloaded += report.downloaded
            s.totals.registered += report.registered
            if report.outcome == .failed {
                s.failures += 1
                s.failedIterations += 1
                s.lastError = report.error
                s.lastErrorAt = s.lastEnd
            } else if report.outcome != .cancelled {
                s.failures = 0
            }
            return (s.failures, previous)
        }
        var wait: Int?
        if let interval {
            wait = Self.wait(interval: interval, failures: failures)
            snapshot.withLock { $0.nextStart = Date().addingTimeInterval(Double(wait!)) }
        }
        writeStatus()
        if report.outcome == .failed {
            let message = Log.shared.scrub(report.error ?? "the iteration failed")
            await script?.notify(event: .iterationFailed, message: message)
        } else if previous > 0 && report.outcome != .cancelled {
            await script?.notify(event: .recovered, message: "the sync works again after \(previous) failed iteration(s)")
        }
        return wait
    }

    /// The status as JSON (the status file and `GET /status`).
    public var json: JSON {
        let s = snapshot.withLock { $0 }
        var object = JSONObject()
        object["lastStart"] = s.lastStart.map { .string(Self.format($0)) } ?? .null
        object["lastEnd"] = s.lastEnd.map { .string(Self.format($0)) } ?? .null
        object["outcome"] = s.report.map { .string($0.outcome.rawValue) } ?? .null
        var counts = JSONObject()
        counts["downloaded"] = .int(s.report?.downloaded ?? 0)
        counts["registered"] = .int(s.report?.registered ?? 0)
        counts["errors"] = .int(s.report?.errors ?? 0)
        counts["pending"] = .int(s.report?.pending ?? 0)
        object["counts"] = .object(counts)
        object["totals"] = ["downloaded": .int(s.totals.downloaded), "registered": .int(s.totals.registered)]
        object["lastError"] = s.lastError.map { .string(Log.shared.scrub($0)) } ?? .null
        object["lastErrorAt"] = s.lastErrorAt.map { .string(Self.format($0)) } ?? .null
        object["consecutiveFailures"] = .int(s.failures)
        object["iterations"] = .int(s.iterations)
        object["failedIterations"] = .int(s.failedIterations)
        object["nextStart"] = s.nextStart.map { .string(Self.format($0)) } ?? .null
        object["waitingFor"] = s.waitingFor.map { .string($0) } ?? .null
        object["pid"] = .int(Int(getpid()))
        return .object(object)
    }

    /// Rewrites the status file atomically (readers see the old or the new file, never half).
    public func writeStatus() {
        guard let statusPath else { return }
        do {
            try AtomicFile.write(Data(json.serializedBytes + [0x0A]), to: statusPath, mode: 0o644)
        } catch {
            Log.error("cannot write the status file: \(error)")
        }
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

extension WatchState {
    /// Sleeps `seconds`, or less when `resume()` is called (the page's POST /resume).
    public func sleep(seconds: Int) async {
        let deadline = Date().addingTimeInterval(Double(seconds))
        resumeFlag.withLock { $0 = false }
        while Date() < deadline {
            if resumeFlag.withLock({ $0 }) { break }
            try? await Task.sleep(nanoseconds: UInt64(min(0.1, deadline.timeIntervalSinceNow) * 1e9))
        }
        resumeFlag.withLock { $0 = false }
    }

    /// Ends the current wait now.
    public func resume() { resumeFlag.withLock { $0 = true } }
}
