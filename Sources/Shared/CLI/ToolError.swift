/// Exit codes shared by every command (listed in each `--help`).
public enum ExitCode: Int32, Sendable, CaseIterable {
    case ok = 0
    case runtime = 1
    case usage = 2
    case authentication = 3
    case twoFactorNeeded = 4
    case partial = 5

    public var meaning: String {
        switch self {
        case .ok: "success"
        case .runtime: "runtime error (server unreachable, bad key, missing library, I/O)"
        case .usage: "usage error (bad option or value)"
        case .authentication: "authentication failed"
        case .twoFactorNeeded: "two-factor code needed and no terminal to ask on"
        case .partial: "partial: some records carry errors (all were forwarded, kept for the next run)"
        }
    }
}

/// The one error type commands report: a sentence for the user and the exit code it maps to.
/// Secrets never go into `message`.
public struct ToolError: Error, Sendable, CustomStringConvertible {
    public let code: ExitCode
    public let message: String
    /// Extra lines (e.g. usage) printed after the message.
    public let hint: String?
    /// A fault that may clear by itself (a server unreachable or answering 5xx): a watch loop
    /// waits it out instead of exiting.
    public var transient = false

    public init(_ code: ExitCode, _ message: String, hint: String? = nil, transient: Bool = false) {
        self.code = code
        self.message = message
        self.hint = hint
        self.transient = transient
    }

    public static func usage(_ message: String, hint: String? = nil) -> ToolError { ToolError(.usage, message, hint: hint) }
    public static func runtime(_ message: String) -> ToolError { ToolError(.runtime, message) }
    /// Downstream closed the pipe: not a failure.
    public static let outputClosed = ToolError(.ok, "output closed")

    public var description: String { message }
}
