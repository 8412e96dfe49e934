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

/// Durable file helpers: write all bytes, fsync, atomic replace.
public enum DurableFile {
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(ToolError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written > 0 { offset += written; continue }
            if written < 0 && errno == EINTR { continue }
            throw ToolError.runtime("cannot write: \(String(cString: strerror(errno)))")
        }
    }

    /// Replaces `path` with `bytes`: temp file in the same folder, fsync, rename, fsync folder.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o600) throws(ToolError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ToolError.runtime("cannot write \(temp): \(String(cString: strerror(errno)))") }
        do throws(ToolError) {
            try writeAll(fd, bytes)
            guard fsync(fd) == 0 else { throw ToolError.runtime("cannot sync \(temp): \(String(cString: strerror(errno)))") }
            close(fd)
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw ToolError.runtime("cannot replace \(path): \(reason)")
        }
        syncDirectory(directory.isEmpty ? "." : directory)
    }

    public static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Creates the folder (and parents) with the given mode if missing.
    public static func makeDirectory(_ path: String, mode: Int = 0o700) throws(ToolError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw ToolError.runtime("cannot create folder \(path): \(error.localizedDescription)")
        }
    }
}
