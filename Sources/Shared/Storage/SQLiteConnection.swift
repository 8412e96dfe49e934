import CSQLite
import Foundation

/// A value bound to, or read from, an SQL statement.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)

    public var text: String? { if case .text(let s) = self { return s }; return nil }
    public var integer: Int64? { if case .integer(let i) = self { return i }; return nil }
}

/// A thin, synchronous handle on one SQLite database file (the system library through the
/// CSQLite module map). Callers serialise access; `StateDatabase` does it with a lock.
public final class SQLiteConnection {
    private var handle: OpaquePointer?
    public let path: String

    public init(path: String) throws(ToolError) {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw .runtime("cannot open the state database \(path): \(message)")
        }
        handle = db
        // A concurrent second run waits for the lock instead of failing at once.
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit { sqlite3_close(handle) }

    /// Opens the file at `path` (creating its folder) in WAL mode and returns it with its schema
    /// version (`user_version`; 0 for a new file). A file newer than `schema` is refused with
    /// `newer`, the sentence saying what to do.
    public static func openVersioned(path: String, schema: Int64, newer: (Int64) -> String) throws(ToolError) -> (SQLiteConnection, found: Int64) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let db = try SQLiteConnection(path: path)
        let found = try db.query("PRAGMA user_version").first?.first?.integer ?? 0
        if found > schema { throw .runtime(newer(found)) }
        try db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")
        return (db, found)
    }

    /// Runs `body` in one transaction: all of it lands, or none of it.
    public func transaction<T>(_ body: () throws(ToolError) -> T) throws(ToolError) -> T {
        try execute("BEGIN IMMEDIATE")
        do throws(ToolError) {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var errorMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed" }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws(ToolError) {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? errorMessage
            sqlite3_free(error)
            throw .runtime("state database \(path): \(message)")
        }
    }

    /// Runs one statement with bound parameters; returns every row.
    @discardableResult
    public func query(_ sql: String, _ parameters: [SQLValue] = []) throws(ToolError) -> [[SQLValue]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw .runtime("state database \(path): \(errorMessage) in \(sql)")
        }
        defer { sqlite3_finalize(statement) }
        // SQLITE_TRANSIENT: SQLite copies the text before the Swift string goes away.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, value) in parameters.enumerated() {
            let at = Int32(i + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, at)
            case .integer(let n): sqlite3_bind_int64(statement, at, n)
            case .text(let s): sqlite3_bind_text(statement, at, s, -1, transient)
            }
        }
        var rows: [[SQLValue]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw .runtime("state database \(path): \(errorMessage) in \(sql)") }
            var row: [SQLValue] = []
            for column in 0..<sqlite3_column_count(statement) {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_NULL: row.append(.null)
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, column)))
                default: row.append(.text(String(cString: sqlite3_column_text(statement, column))))
                }
            }
            rows.append(row)
        }
        return rows
    }
}
