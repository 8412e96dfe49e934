#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Reads newline-terminated lines from a file descriptor with read(2) and a 64 KiB buffer,
/// so memory stays flat however long the input. A final line without `\n` is still a line
/// (use `lastLineWasTerminated` to tell a torn line apart).
public final class LineReader {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEOF = false
    public private(set) var lineNumber = 0
    public private(set) var lastLineWasTerminated = true

    public init(fileDescriptor: Int32) { self.fd = fileDescriptor }

    /// The next line without its terminator, or nil at end of input.
    public func next() throws -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var line = Array(buffer[start..<newline])
                if line.last == 0x0D { line.removeLast() }
                start = newline + 1
                lineNumber += 1
                lastLineWasTerminated = true
                return line
            }
            if atEOF {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                lastLineWasTerminated = false
                return line
            }
            try fill()
        }
    }

    /// True when a line is already buffered, so a caller can flush its output before blocking.
    public var hasBufferedLine: Bool { buffer[start...].contains(0x0A) }

    private func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return
            }
            if count == 0 { atEOF = true; return }
            if errno == EINTR { continue }
            throw ToolError.runtime("cannot read input: \(String(cString: strerror(errno)))")
        }
    }
}
