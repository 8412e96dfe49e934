#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Errors reading or writing the session and cookie files.
public enum SessionStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case corruptSessionFile(path: String, reason: String)
    case corruptCookieJar(path: String, reason: String)
    case fileSystem(FileSystemError)

    public var description: String {
        switch self {
        case let .corruptSessionFile(path, reason): return "corrupt session file \(path): \(reason)"
        case let .corruptCookieJar(path, reason): return "Failed to read cookiejar \(path): \(reason)"
        case let .fileSystem(error): return error.description
        }
    }
}

/// Where icloudpd keeps one Apple ID's session: `<dir>/<base>` (LWP cookie jar) and
/// `<dir>/<base>.session` (JSON), `<base>` derived from the Apple ID.
public struct SessionStore: Sendable {
    public static let defaultDirectory = "~/.pyicloud"

    public let directory: String
    public let username: String

    /// `directory` may start with `~`; it is expanded and normalised.
    public init(directory: String = SessionStore.defaultDirectory, username: String) {
        self.directory = SessionStore.normalize(directory)
        self.username = username
    }

    /// icloudpd's file base name: the lower-cased Apple ID keeping only Unicode word
    /// characters (`jdoe@gmail.com` → `jdoegmailcom`).
    public static func baseName(for username: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in username.lowercased().unicodeScalars where LWPCookieFile.isWordScalar(scalar) {
            out.append(scalar)
        }
        return String(out)
    }

    public var baseName: String { SessionStore.baseName(for: username) }
    public var cookieJarPath: String { (directory as NSString).appendingPathComponent(baseName) }
    public var sessionPath: String { cookieJarPath + ".session" }

    /// Creates the directory (one level, mode 0700) if missing.
    public func ensureDirectory() throws {
        do { try AtomicFile.makeDirectory(directory, mode: 0o700) }
        catch let error as FileSystemError { throw SessionStoreError.fileSystem(error) }
    }

    /// The stored session; nil if there is no file. A file that is not a JSON object throws
    /// `corruptSessionFile` (icloudpd would log "Session file does not exist" and start afresh).
    public func loadSession() throws -> SessionState? {
        guard let data = try read(sessionPath) else { return nil }
        do {
            return try SessionState(json: data)
        } catch let error as JSONParseError {
            throw SessionStoreError.corruptSessionFile(path: sessionPath, reason: error.description)
        } catch {
            throw SessionStoreError.corruptSessionFile(path: sessionPath, reason: "not a JSON object")
        }
    }

    /// Writes the session file (mode 0600, atomic and durable), creating the directory if needed.
    public func saveSession(_ state: SessionState) throws {
        try ensureDirectory()
        try write(state.jsonData(), to: sessionPath)
    }

    /// The stored cookies; nil if there is no file. A file that is not in LWP format throws
    /// `corruptCookieJar`.
    public func loadCookies() throws -> CookieJar? {
        guard let data = try read(cookieJarPath) else { return nil }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SessionStoreError.corruptCookieJar(path: cookieJarPath, reason: "not UTF-8 text")
        }
        do {
            return try LWPCookieFile.parse(text)
        } catch let error as LWPCookieFile.ParseError {
            throw SessionStoreError.corruptCookieJar(path: cookieJarPath, reason: error.description)
        }
    }

    /// Writes the cookie jar (mode 0600, atomic and durable), creating the directory if needed.
    public func saveCookies(_ jar: CookieJar) throws {
        try ensureDirectory()
        try write(Data(LWPCookieFile.serialize(jar).utf8), to: cookieJarPath)
    }

    private func read(_ path: String) throws -> Data? {
        do { return try AtomicFile.read(path) }
        catch let error as FileSystemError { throw SessionStoreError.fileSystem(error) }
        catch { throw SessionStoreError.fileSystem(FileSystemError(operation: "read", path: path, errno: EIO)) }
    }

    private func write(_ data: Data, to path: String) throws {
        do { try AtomicFile.write(data, to: path, mode: 0o600) }
        catch let error as FileSystemError { throw SessionStoreError.fileSystem(error) }
    }

    static func normalize(_ path: String) -> String {
        var p = path
        if p == "~" || p.hasPrefix("~/") {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            p = home + p.dropFirst()
        }
        return (p as NSString).standardizingPath
    }
}
