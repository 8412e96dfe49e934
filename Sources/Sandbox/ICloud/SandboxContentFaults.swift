import Foundation

/// Faults the fake injects on content downloads (`/content/…`), to test retries, resume and
/// the end-of-run failure report. Counted per content path, so they are deterministic.
public struct SandboxContentFaults: Sendable {
    /// The first N GETs of every file answer 503.
    public var failFirst = 0
    /// The next N GETs of every file answer 429 with `Retry-After: 0`.
    public var throttleFirst = 0
    /// The next N GETs of every file are dropped without an answer.
    public var dropFirst = 0
    /// Photos (by index) whose files always answer 500.
    public var alwaysFailing: Set<Int> = []
    /// Their status: 500 is retried by clients, 403 (an expired URL) is not.
    public var alwaysFailingStatus = 500
    /// Serve only this many bytes of a body and then close (a dropped transfer), per file, once.
    public var truncateOnceAt: Int? = nil
    public init() {}

    var isEmpty: Bool { failFirst == 0 && throttleFirst == 0 && dropFirst == 0 && alwaysFailing.isEmpty && truncateOnceAt == nil }
}
