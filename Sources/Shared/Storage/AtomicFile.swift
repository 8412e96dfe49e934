#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A failed file-system call, with the path and errno.
public struct FileSystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public let operation: String
    public let path: String
    public let errno: Int32

    public init(operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(errno)))"
    }
}

/// Durable whole-file replacement: temp file in the same directory with an explicit mode,
/// write (short writes and EINTR handled), fsync, rename over the target, fsync the directory.
/// Readers see either the old or the new content, never a torn file.
public enum AtomicFile {
    /// Writes `data` to `path` atomically and durably; the file ends up with exactly `mode`
    /// (not filtered by the umask).
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let base = url.lastPathComponent
        let suffix = (try? Crypto.randomBytes(count: 6).hexString) ?? String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let temp = (directory as NSString).appendingPathComponent(".\(base).tmp-\(getpid())-\(suffix)")

        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileSystemError(operation: "open", path: temp, errno: errno) }
        var renamed = false
        defer { if !renamed { unlink(temp) } }
        do {
            defer { close(fd) }
            // The umask may have cleared bits of `mode`; set them explicitly.
            guard fchmod(fd, mode) == 0 else { throw FileSystemError(operation: "fchmod", path: temp, errno: errno) }
            try writeAll(fd, Array(data), path: temp)
            guard fsync(fd) == 0 else { throw FileSystemError(operation: "fsync", path: temp, errno: errno) }
        }
        guard rename(temp, path) == 0 else { throw FileSystemError(operation: "rename", path: path, errno: errno) }
        renamed = true
        try syncDirectory(directory)
    }

    /// Writes every byte to `fd`, handling short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystemError(operation: "write", path: path, errno: errno)
            }
            offset += written
        }
    }

    /// fsyncs a directory so that a rename or create inside it is durable.
    public static func syncDirectory(_ directory: String) throws {
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw FileSystemError(operation: "open", path: directory, errno: errno) }
        defer { close(dfd) }
        guard fsync(dfd) == 0 else { throw FileSystemError(operation: "fsync", path: directory, errno: errno) }
    }

    /// Creates `path` as a single directory level with exactly `mode` if it does not exist
    /// (the parent must exist, like Python's `os.mkdir`). An existing directory is left as is.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws {
        if mkdir(path, mode) == 0 {
            guard chmod(path, mode) == 0 else { throw FileSystemError(operation: "chmod", path: path, errno: errno) }
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try? syncDirectory(parent)
            return
        }
        let err = errno
        var st = stat()
        if err == EEXIST, stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { return }
        throw FileSystemError(operation: "mkdir", path: path, errno: err)
    }

    /// Reads a whole file; nil if it does not exist.
    public static func read(_ path: String) throws -> Data? {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return nil
        } catch {
            if access(path, F_OK) != 0 && errno == ENOENT { return nil }
            throw error
        }
    }
}
