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

    /// Rewrites the journal with only what is still pending. With `countAttempt`, each record that
    /// came back with errors since the last compaction counts one more attempt; at
    /// `maxAttempts` it moves to `<journal>.failed`. Returns what is pending, oldest first.
    @discardableResult
    public func compact(countAttempt: Bool) throws -> CompactionResult {
        try lock.withLock(exclusive: true) {
            var result = CompactionResult()
            let entries = try readEntries(importedLegacy: &result.importedLegacy)
            var order: [String] = []
            var ordered: Set<String> = []  // a jid done and added again (icloudpd's are per photo) is listed once
            var state: [String: Pending] = [:]
            var failedSinceAdd: Set<String> = []
            for entry in entries {
                guard let op = entry["op"]?.stringValue, let jid = entry["jid"]?.stringValue else { continue }
                switch op {
                case "add":
                    guard let record = entry["record"], record.objectValue != nil else { continue }
                    if ordered.insert(jid).inserted { order.append(jid) }
                    state[jid] = Pending(jid: jid, attempts: entry["attempts"]?.intValue ?? 0, record: record, lastError: entry["error"]?.stringValue,
                                         run: entry["run"]?.stringValue)
                    failedSinceAdd.remove(jid)
                case "done":
                    state[jid] = nil
                case "fail":
                    state[jid]?.lastError = entry["error"]?.stringValue
                    failedSinceAdd.insert(jid)
                default: continue
                }
            }
            var keep: [UInt8] = []
            var failed: [UInt8] = []
            for jid in order {
                guard var pending = state[jid] else { continue }
                if countAttempt && failedSinceAdd.contains(jid) { pending.attempts += 1 }
                if pending.attempts >= Self.maxAttempts {
                    let entry: JSON = ["jid": .string(jid), "attempts": .int(pending.attempts),
                                       "error": pending.lastError.map(JSON.string) ?? .null, "record": pending.record]
                    entry.write(into: &failed)
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

    /// Entries in file order; unreadable lines (a torn last line) are skipped. A file in the
    /// icloudpd Immich plugin's format (one JSON array) is imported as pending records.
    private func readEntries(importedLegacy: inout Int) throws -> [JSON] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return [] }
            throw ToolError.runtime("cannot read journal \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let reader = LineReader(fileDescriptor: fd)
        var entries: [JSON] = []
        var first = true
        var legacyText: [UInt8] = []
        var isLegacy = false
        while let line = try reader.next() {
            if first, let start = line.first(where: { $0 != 0x20 && $0 != 0x09 }) {
                first = false
                isLegacy = start == UInt8(ascii: "[")
            }
            if isLegacy { legacyText += line + [0x0A]; continue }
            guard !line.isEmpty else { continue }
            if let entry = try? JSON.parse(line) {
                entries.append(entry)
            } else {
                Log.warning("journal \(path) line \(reader.lineNumber): unreadable entry skipped (torn write?)")
            }
        }
        if isLegacy {
            let items = (try? JSON.parse(legacyText))?.arrayValue ?? []
            for item in items {
                guard let record = LegacyPluginQueue.record(from: item) else { continue }
                entries.append(add(record, jid: UUID().uuidString.lowercased()))
                importedLegacy += 1
            }
            if importedLegacy > 0 { Log.info("imported \(importedLegacy) pending photo(s) from the Python plugin's queue file \(path)") }
        }
        return entries
    }
}
