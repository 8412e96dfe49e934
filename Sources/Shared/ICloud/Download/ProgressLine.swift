#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Synchronization

/// A one-line progress display on stderr (`\r`-rewritten, at most 5 times a second), only when
/// stderr is a terminal; otherwise nothing.
public final class ProgressLine: Sendable {
    private struct State { var done = 0; var total = 0; var last = 0.0 }
    private let state = Mutex(State())

    public static func ifTerminal() -> ProgressLine? { isatty(2) == 1 ? ProgressLine() : nil }

    public func start(total: Int) { state.withLock { $0 = State(done: 0, total: total, last: 0) } }

    public func advance() {
        let line: String? = state.withLock { s in
            s.done += 1
            let now = Date().timeIntervalSince1970
            guard now - s.last >= 0.2 || s.done == s.total else { return nil }
            s.last = now
            let total = s.total > 0 ? "/\(s.total)" : ""
            return "\r\(s.done)\(total) photos\u{1B}[K"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    public func clear() { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
}
