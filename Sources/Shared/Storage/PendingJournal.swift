#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// The pending journal of `immich-batch`: an append-only NDJSON file of operations,
///
///     {"op":"add","jid":"…","attempts":0,"record":{…}}   a record entered the pipeline
///     {"op":"add","jid":"…","run":"…",…}                  journaled by icloudpd --plugin for pass `run`
///     {"op":"done","jid":"…"}                             it came out without errors
///     {"op":"fail","jid":"…","error":"…"}                 it came out with errors (kept)
///
/// A record is pending from its `add` until its `done`. Appends are single write(2)s on an
/// O_APPEND descriptor followed by fdatasync, under a shared lock; compaction rewrites the file
/// with only the pending adds (temp file, fsync, rename) under an exclusive lock. A torn last
/// line (power loss) is ignored on read and fenced off with a newline before the next append.
/// Several processes may append at once (the batcher and the committer of one pipeline do).
public final class PendingJournal {
    public let path: String
    public var failedPath: String { path + ".failed" }
    public var rejectedPath: String { path + ".rejected" }
    /// A record that comes back with errors this many runs in a row moves to `<journal>.failed`.
    public static let maxAttempts = 5

    private let lock: FileLock
    private var fd: Int32 = -1
    private var openedInode: ino_t = 0

    public init(path: String) throws(ToolError) {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ToolError.runtime("cannot create the journal's folder \(directory): \(error.localizedDescription)")
            }
        }
        lock = try FileLock(path: path + ".lock")
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Where the journal is unless told (`--log`, `--immich-batch-log-file`).
    public static let defaultLocation = "~/.pyicloud/immich_pending_files.json"

    /// The journal's path: `path` (the default location when nil) with a leading `~` expanded.
    public static func path(_ path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let path = path ?? defaultLocation
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst()
    }

    // MARK: Appending

    public func append(_ entries: [JSON]) throws {
        guard !entries.isEmpty else { return }
        var bytes: [UInt8] = []
        for entry in entries {
            entry.write(into: &bytes)
            bytes.append(0x0A)
        }
        try lock.withLock(exclusive: false) {
            try openForAppend()
            try AtomicFile.writeAll(fd, bytes, path: path)
            guard fdatasync(fd) == 0 else { throw ToolError.runtime("cannot sync journal \(path): \(String(cString: strerror(errno)))") }
        }
    }

    /// `run`: the pass of `icloudpd --plugin` that journaled the record before handing it to
    /// immich-batch (which then neither journals it again nor replays it in that pass).
    public func add(_ record: JSON, jid: String, attempts: Int = 0, run: String? = nil) -> JSON {
        var entry: JSONObject = ["op": "add", "jid": .string(jid)]
        if let run { entry["run"] = .string(run) }
        entry["attempts"] = .int(attempts)
        entry["record"] = record
        return .object(entry)
    }

    public func done(jid: String) -> JSON { ["op": "done", "jid": .string(jid)] }
    public func fail(jid: String, error: String) -> JSON { ["op": "fail", "jid": .string(jid), "error": .string(error)] }

    /// Opens (or reopens after another process compacted the file) the journal for appending.
    private func openForAppend() throws {
        var current = stat()
        let exists = stat(path, &current) == 0
        if fd >= 0 && exists && current.st_ino == openedInode { return }
        if fd >= 0 { close(fd); fd = -1 }
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ToolError.runtime("cannot open journal \(path): \(String(cString: strerror(errno)))") }
        var opened = stat()
        fstat(fd, &opened)
        openedInode = opened.st_ino
        // Fence off a torn last line so the next entry starts on a line of its own.
        if opened.st_size > 0, lastByte() != 0x0A { try AtomicFile.writeAll(fd, [0x0A], path: path) }
    }

    private func lastByte() -> UInt8? {
        let reader = open(path, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { return nil }
        defer { close(reader) }
        var byte: UInt8 = 0
        guard lseek(reader, -1, SEEK_END) >= 0, read(reader, &byte, 1) == 1 else { return nil }
        return byte
    }

    // MARK: Reading and compaction

    public struct Pending: Sendable {
        public var jid: String
        public var attempts: Int
        public var record: JSON
        public var lastError: String?
        /// The plugin pass that journaled it (see `add`).
        public var run: String? = nil
    }

    public struct CompactionResult: Sendable {
        public var pending: [Pending] = []
        public var movedToFailed = 0
        public var importedLegacy = 0
    }

    /// What compaction keeps of one pending jid while it reads the file: small, so memory
    /// follows the pending records, not the journal's length (a 20,000-photo run journals
    /// 40,000 entries; holding them parsed took the committer from 38 to 73 MB).
    private struct Tracked {
        /// Order of its first add (oldest first).
        var sequence: Int
        /// The line of its latest add, read again for the record; 0 when `record` holds it.
        var line: Int
        var record: JSON?
        var attempts: Int
        var lastError: String?
        var failedSinceAdd = false
        var run: String?
    }

    /// Rewrites the journal with only what is still pending. With `countAttempt`, each record that
    /// came back with errors since the last compaction counts one more attempt; at
    /// `maxAttempts` it moves to `<journal>.failed`. Returns what is pending, oldest first.
    /// Two passes over the file: the first keeps the state of each pending jid, the second reads
    /// the records of those still pending.
    @discardableResult
    public func compact(countAttempt: Bool) throws -> CompactionResult {
        try lock.withLock(exclusive: true) {
            var result = CompactionResult()
            var tracked: [String: Tracked] = [:]
            var sequence = 0
            func track(_ entry: JSON, line: Int) {
                guard let op = entry["op"]?.stringValue, let jid = entry["jid"]?.stringValue else { return }
                switch op {
                case "add":
                    guard let record = entry["record"], record.objectValue != nil else { return }
                    let first = tracked[jid]?.sequence ?? { sequence += 1; return sequence }()
                    // `.none`, never `nil`: JSON takes the nil literal (as JSON's null).
                    tracked[jid] = Tracked(sequence: first, line: line, record: line == 0 ? .some(record) : .none,
                                           attempts: entry["attempts"]?.intValue ?? 0, lastError: entry["error"]?.stringValue,
                                           run: entry["run"]?.stringValue)
                case "done":
                    tracked[jid] = nil
                case "fail":
                    tracked[jid]?.lastError = entry["error"]?.stringValue
                    tracked[jid]?.failedSinceAdd = true
                default:
                    return
                }
            }
            var legacyText: [UInt8]? = nil
            var formatKnown = false
            try forEachLine { number, line in
                if !formatKnown, let start = line.first(where: { $0 != 0x20 && $0 != 0x09 }) {
                    formatKnown = true
                    if start == UInt8(ascii: "[") { legacyText = [] }
                }
                if legacyText != nil { legacyText! += line + [0x0A]; return }
                guard !line.isEmpty else { return }
                if let entry = try? JSON.parse(line) {
                    track(entry, line: number)
                } else {
                    Log.warning("journal \(path) line \(number): unreadable entry skipped (torn write?)")
                }
            }
            if let legacyText {
                for entry in importLegacy(legacyText, imported: &result.importedLegacy) { track(entry, line: 0) }
            }
            // The records of what is still pending, from the lines of their latest adds.
            let wanted = Dictionary(tracked.compactMap { $0.value.record == .none ? ($0.value.line, $0.key) : nil }) { a, _ in a }
            if !wanted.isEmpty {
                try forEachLine { number, line in
                    guard let jid = wanted[number], let record = (try? JSON.parse(line))?["record"] else { return }
                    tracked[jid]?.record = record
                }
            }
            var keep: [UInt8] = []
            var failed: [UInt8] = []
            for (jid, entry) in tracked.sorted(by: { $0.value.sequence < $1.value.sequence }) {
                guard let record = entry.record else { continue }
                var pending = Pending(jid: jid, attempts: entry.attempts, record: record, lastError: entry.lastError, run: entry.run)
                if countAttempt && entry.failedSinceAdd { pending.attempts += 1 }
                if pending.attempts >= Self.maxAttempts {
                    let failure: JSON = ["jid": .string(jid), "attempts": .int(pending.attempts),
                                         "error": pending.lastError.map(JSON.string) ?? .null, "record": pending.record]
                    failure.write(into: &failed)
                    failed.append(0x0A)
                    result.movedToFailed += 1
                    continue
                }
                var add = self.add(pending.record, jid: jid, attempts: pending.attempts, run: pending.run)
                if let error = pending.lastError, case .object(var object) = add {
                    object["error"] = .string(error)
                    add = .object(object)
                }
                add.write(into: &keep)
                keep.append(0x0A)
                result.pending.append(pending)
            }
            if !failed.isEmpty {
                let failedFD = open(failedPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
                guard failedFD >= 0 else { throw ToolError.runtime("cannot open \(failedPath): \(String(cString: strerror(errno)))") }
                defer { close(failedFD) }
                try AtomicFile.writeAll(failedFD, failed, path: failedPath)
                fsync(failedFD)
            }
            try AtomicFile.write(Data(keep), to: path, mode: 0o600)
            return result
        }
    }

    /// Each line of the journal with its number (from 1), streamed; nothing when there is no file.
    private func forEachLine(_ body: (Int, [UInt8]) throws -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return }
            throw ToolError.runtime("cannot read journal \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let reader = LineReader(fileDescriptor: fd)
        while let line = try reader.next() { try body(reader.lineNumber, line) }
    }

    /// A file in the icloudpd Immich plugin's format (one JSON array) as pending adds.
    private func importLegacy(_ text: [UInt8], imported: inout Int) -> [JSON] {
        var entries: [JSON] = []
        for item in (try? JSON.parse(text))?.arrayValue ?? [] {
            guard let record = LegacyPluginQueue.record(from: item) else { continue }
            entries.append(add(record, jid: UUID().uuidString.lowercased()))
            imported += 1
        }
        if imported > 0 { Log.info("imported \(imported) pending photo(s) from the Python plugin's queue file \(path)") }
        return entries
    }
}
