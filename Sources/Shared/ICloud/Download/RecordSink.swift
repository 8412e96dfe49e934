#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Where `--records` lines go: stdout, or a file opened for appending (one write per line).
public final class RecordSink: Sendable {
    let writer: LineWriter

    public init(writer: LineWriter) { self.writer = writer }

    public static func file(_ path: String) throws(ToolError) -> RecordSink {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .runtime("cannot open --records file \(path): \(String(cString: strerror(errno)))") }
        return RecordSink(writer: LineWriter(fileDescriptor: fd))
    }

    public func write(_ record: JSON) throws { try writer.writeLine(record) }
}
