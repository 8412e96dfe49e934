#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug = 0, info, warning, error

    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    public init?(name: String) {
        switch name.lowercased() {
        case "debug": self = .debug
        case "info": self = .info
        case "warning", "warn": self = .warning
        case "error": self = .error
        default: return nil
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How log lines look.
public enum LogStyle: Sendable {
    /// `program: warning: message` (the immich-* commands).
    case plain
    /// `2025-01-31 12:00:00 INFO     message`, Python logging's format as icloudpd prints it.
    case timestamped
}

/// Diagnostics, one write(2) per line so lines from concurrent tasks and from the children of
/// a pipeline never interleave. Log lines go to stderr unless a command moves them (icloudpd
/// logs to stdout like the original); errors from `emit` always go to stderr.
public final class Log: @unchecked Sendable {
    // @unchecked: mutable settings are guarded by `lock`.
    public static let shared = Log()

    private let lock = NSLock()
    private var _level: LogLevel = .info
    private var _program = ProcessInfo.processInfo.processName
    private var redactions: [String] = []
    private let errorFD: Int32 = 2
    private var _logFD: Int32 = 2
    private var _style: LogStyle = .plain

    /// A setting, read and written under `lock`.
    private subscript<Value>(locked setting: ReferenceWritableKeyPath<Log, Value>) -> Value {
        get { lock.withLock { self[keyPath: setting] } }
        set { lock.withLock { self[keyPath: setting] = newValue } }
    }

    /// Where `log` lines go (1 = stdout, 2 = stderr).
    public var logFileDescriptor: Int32 { get { self[locked: \._logFD] } set { self[locked: \._logFD] = newValue } }
    public var style: LogStyle { get { self[locked: \._style] } set { self[locked: \._style] = newValue } }
    public var level: LogLevel { get { self[locked: \._level] } set { self[locked: \._level] = newValue } }
    public var program: String { get { self[locked: \._program] } set { self[locked: \._program] = newValue } }

    /// Registers a secret (API key, password, token) that must never appear in a log line.
    public func redact(_ secret: String) {
        guard secret.count >= 4 else { return }
        lock.withLock { redactions.append(secret) }
    }

    public func scrub(_ text: String) -> String {
        let secrets = lock.withLock { redactions }
        var result = text
        for secret in secrets { result = result.replacingOccurrences(of: secret, with: "<redacted>") }
        return result
    }

    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        guard level >= self.level else { return }
        switch style {
        case .plain:
            let label = level == .info ? "" : "\(level.name): "
            write("\(program): \(label)\(message())", to: logFileDescriptor)
        case .timestamped:
            let name = level.name.uppercased()
            let padded = name + String(repeating: " ", count: max(0, 8 - name.count))
            write("\(Log.timestamp()) \(padded) \(message())", to: logFileDescriptor)
        }
    }

    /// Writes a line to stderr as is (after redaction).
    public func emit(_ line: String) { write(line, to: errorFD) }

    /// Writes a line to stdout as is (`--only-print-filenames` output).
    public func emitStdout(_ line: String) { write(line, to: 1) }

    /// Python logging's `%Y-%m-%d %H:%M:%S` in the local zone.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    private func write(_ line: String, to fd: Int32) {
        var bytes = Array(scrub(line).utf8)
        bytes.append(0x0A)
        lock.withLock {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { break }
            }
        }
    }

    public static func debug(_ message: @autoclosure () -> String) { shared.log(.debug, message()) }
    public static func info(_ message: @autoclosure () -> String) { shared.log(.info, message()) }
    public static func warning(_ message: @autoclosure () -> String) { shared.log(.warning, message()) }
    public static func error(_ message: @autoclosure () -> String) { shared.log(.error, message()) }
}
