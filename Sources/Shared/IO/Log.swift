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

/// Diagnostics on stderr, one write(2) per line so lines from concurrent tasks and from the
/// children of a pipeline never interleave. Records never go here; logs never go to stdout.
public final class Log: @unchecked Sendable {
    // @unchecked: mutable settings are guarded by `lock`.
    public static let shared = Log()

    private let lock = NSLock()
    private var _level: LogLevel = .info
    private var _program = ProcessInfo.processInfo.processName
    private var redactions: [String] = []
    private let fd: Int32 = 2

    public var level: LogLevel {
        get { lock.withLock { _level } }
        set { lock.withLock { _level = newValue } }
    }

    public var program: String {
        get { lock.withLock { _program } }
        set { lock.withLock { _program = newValue } }
    }

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
        let label = level == .info ? "" : "\(level.name): "
        emit("\(program): \(label)\(message())")
    }

    /// Writes a line to stderr as is (after redaction).
    public func emit(_ line: String) {
        var bytes = Array(scrub(line).utf8)
        bytes.append(0x0A)
        lock.withLock {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { break }
            }
        }
    }

    public static func debug(_ message: @autoclosure () -> String) { shared.log(.debug, message()) }
    public static func info(_ message: @autoclosure () -> String) { shared.log(.info, message()) }
    public static func warning(_ message: @autoclosure () -> String) { shared.log(.warning, message()) }
    public static func error(_ message: @autoclosure () -> String) { shared.log(.error, message()) }
}
