#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Writes whole lines to a file descriptor, one write(2) per line (or per flushed group), so
/// each record reaches the next step of a pipeline at once. A closed pipe (EPIPE) means the
/// reader is done: that ends the command successfully, as in ripgrep.
public final class LineWriter: @unchecked Sendable {
    // @unchecked: all access goes through `lock`.
    private let fd: Int32
    private let lock = NSLock()
    private var pending: [UInt8] = []
    public private(set) var linesWritten = 0

    public init(fileDescriptor: Int32) { self.fd = fileDescriptor }

    public static let standardOutput = LineWriter(fileDescriptor: 1)

    /// Queues a line; it is written at the next `flush()`.
    public func queue(_ line: [UInt8]) {
        lock.lock(); defer { lock.unlock() }
        pending.append(contentsOf: line)
        pending.append(0x0A)
        linesWritten += 1
    }

    public func queue(_ value: JSON) { queue(value.serializedBytes) }

    /// Writes one line immediately.
    public func writeLine(_ line: [UInt8]) throws {
        queue(line)
        try flush()
    }

    public func writeLine(_ value: JSON) throws { try writeLine(value.serializedBytes) }

    public func flush() throws {
        lock.lock(); defer { lock.unlock() }
        guard !pending.isEmpty else { return }
        try Self.writeAll(fd: fd, bytes: pending)
        pending.removeAll(keepingCapacity: true)
    }

    static func writeAll(fd: Int32, bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written >= 0 { offset += written; continue }
            if errno == EINTR { continue }
            if errno == EPIPE { throw ToolError.outputClosed }
            throw ToolError.runtime("cannot write output: \(String(cString: strerror(errno)))")
        }
    }
}
