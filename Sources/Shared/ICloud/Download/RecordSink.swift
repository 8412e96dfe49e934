#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Where photo records go: `--records` (stdout, or a file opened for appending, one write per
/// line) and/or the `--plugin` pipeline of the current pass.
public final class RecordSink: Sendable {
    let writer: LineWriter?
    let forward: (@Sendable (JSON) throws -> Void)?

    public init(writer: LineWriter?, forward: (@Sendable (JSON) throws -> Void)? = nil) {
        self.writer = writer
        self.forward = forward
    }

    public static func file(_ path: String) throws(ToolError) -> LineWriter {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .runtime("cannot open --records file \(path): \(String(cString: strerror(errno)))") }
        return LineWriter(fileDescriptor: fd)
    }

    public func write(_ record: JSON) throws {
        try writer?.writeLine(record)
        try forward?(record)
    }
}
