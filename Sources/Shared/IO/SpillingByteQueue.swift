#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// A first-in first-out queue of byte chunks (record lines) between a producer that must never
/// wait and a slower consumer: up to `memoryLimit` bytes are kept in memory, the rest goes to an
/// unlinked temporary file and is read back in order. Memory stays flat however far the
/// consumer falls behind (the downloader can finish hours before Immich).
///
/// Not thread-safe: the owner serialises `append` and `take` (e.g. under its lock); the file
/// I/O is on page-cache-sized chunks and never fsynced (the journal is the durable copy).
final class SpillingByteQueue {
    let memoryLimit: Int
    let readChunk: Int
    private var memory: [[UInt8]] = []
    private var memoryBytes = 0
    private var fd: Int32 = -1
    private var readOffset: off_t = 0
    private var writeOffset: off_t = 0

    init(memoryLimit: Int = 1 << 20, readChunk: Int = 1 << 16) {
        self.memoryLimit = memoryLimit
        self.readChunk = readChunk
    }

    deinit { if fd >= 0 { close(fd) } }

    var isEmpty: Bool { memory.isEmpty && readOffset == writeOffset }
    /// Bytes waiting on disk (for tests and the log).
    var spilledBytes: Int { Int(writeOffset - readOffset) }

    func append(_ bytes: [UInt8]) throws(ToolError) {
        // Once spilling, everything goes to the file until it is drained: order is kept.
        if readOffset == writeOffset && memoryBytes + bytes.count <= memoryLimit {
            memory.append(bytes)
            memoryBytes += bytes.count
            return
        }
        try openFile()
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, writeOffset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ToolError.runtime("cannot queue photo records on disk: \(String(cString: strerror(errno)))")
            }
            done += n
            writeOffset += off_t(n)
        }
    }

    /// The next bytes to hand on, oldest first: everything in memory, else a chunk of the
    /// file. Empty when the queue is empty.
    func take() throws(ToolError) -> [[UInt8]] {
        if !memory.isEmpty {
            defer { memory.removeAll(keepingCapacity: true); memoryBytes = 0 }
            return memory
        }
        guard readOffset < writeOffset else { return [] }
        let count = Int(min(off_t(readChunk), writeOffset - readOffset))
        var chunk = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, readOffset + off_t(got)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw ToolError.runtime("cannot read back queued photo records: \(String(cString: strerror(errno)))") }
            got += n
        }
        readOffset += off_t(count)
        if readOffset == writeOffset {
            // Drained: start the file over so it never grows beyond one backlog.
            _ = ftruncate(fd, 0)
            readOffset = 0
            writeOffset = 0
        }
        return [chunk]
    }

    private func openFile() throws(ToolError) {
        guard fd < 0 else { return }
        var template = Array((NSTemporaryDirectory() + "/icloudpd-records-XXXXXX").utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ToolError.runtime("cannot create a temporary file for photo records: \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }
}
