#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Where photo records go: `--records` (stdout, or a file opened for appending, one write per
/// line) and/or the `--plugin` pipeline of the current pass, whose `journal` must hold a
/// record before its files are renamed into place.
public final class RecordSink: Sendable {
    let writer: LineWriter?
    let forward: (@Sendable (JSON) throws -> Void)?
    public let journal: (any PhotoJournal)?

    public init(writer: LineWriter?, forward: (@Sendable (JSON) throws -> Void)? = nil, journal: (any PhotoJournal)? = nil) {
        self.writer = writer
        self.forward = forward
        self.journal = journal
    }

    public static func file(_ path: String) throws(ToolError) -> LineWriter {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .runtime("cannot open --records file \(path): \(String(cString: strerror(errno)))") }
        return LineWriter(fileDescriptor: fd)
    }

    /// `forwarded`: the record as the journal returned it, for the pipeline (`--records` gets
    /// the plain one).
    public func write(_ record: JSON, forwarded: JSON? = nil) throws {
        try writer?.writeLine(record)
        try forward?(forwarded ?? record)
    }
}
