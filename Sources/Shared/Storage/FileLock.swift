#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// An advisory lock on a sidecar file (`<path>.lock`), so the journal itself can be replaced
/// by rename while writers hold the lock. Shared for appends, exclusive for compaction.
public final class FileLock {
    private let fd: Int32

    public init(path: String) throws(ToolError) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ToolError.runtime("cannot open lock file \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    public func withLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else { throw ToolError.runtime("cannot lock: \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}

