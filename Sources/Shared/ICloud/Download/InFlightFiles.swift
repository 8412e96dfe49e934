import Synchronization

/// Files this run is still writing, so planning the next photos sees them as present (as
/// icloudpd's sequential run would) without holding the whole library in memory: entries
/// leave when their download ends. Also hands out `.part` names that no other download uses.
public final class InFlightFiles: Sendable {
    private struct State {
        var files: [String: Int64] = [:]
        var parts: Set<String> = []
    }
    private let state = Mutex(State())

    public init() {}

    public func add(_ path: String, size: Int64) { state.withLock { $0.files[path] = size } }
    public func size(_ path: String) -> Int64? { state.withLock { $0.files[path] } }

    /// `preferred`, or `preferred` with `-N` before `.part` when another download holds it.
    public func claimPart(_ preferred: String) -> String {
        state.withLock { s in
            var candidate = preferred
            var n = 1
            while s.parts.contains(candidate) {
                candidate = String(preferred.dropLast(5)) + "-\(n).part"
                n += 1
            }
            s.parts.insert(candidate)
            return candidate
        }
    }

    /// The job's file is on disk under its name, or will not be: the planner stops counting it
    /// as in flight, and its `.part` name is free again.
    public func release(_ job: FileJob) {
        state.withLock {
            $0.files[job.path] = nil
            $0.parts.remove(job.partPath)
        }
    }
}

/// The disk as the planner should see it: real files plus those being downloaded.
public struct InFlightView: FileSystemView {
    public let base: LocalFileSystem
    public let inFlight: InFlightFiles

    public init(inFlight: InFlightFiles) {
        base = LocalFileSystem()
        self.inFlight = inFlight
    }

    public func isFile(_ path: String) -> Bool { inFlight.size(path) != nil || base.isFile(path) }
    public func fileSize(_ path: String) -> Int64? { inFlight.size(path) ?? base.fileSize(path) }
}
