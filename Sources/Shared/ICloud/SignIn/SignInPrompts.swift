import Foundation

/// Where the sign-in gets what only the user knows. Injected so tests and other front ends
/// (a web UI later) can answer without a terminal.
public struct SignInPrompts: Sendable {
    /// The password, or nil when there is none to be had.
    public var password: @Sendable () -> String?
    /// One answer to a two-factor prompt, or nil when nobody can answer (no terminal, stdin closed).
    public var answer: @Sendable (_ prompt: String) -> String?
    /// Called each time a two-factor code is needed, before it is asked for
    /// (`--notification-script`); it must not throw: the sign-in goes on regardless.
    public var codeNeeded: @Sendable () async -> Void

    public init(password: @escaping @Sendable () -> String?, answer: @escaping @Sendable (String) -> String?,
                codeNeeded: @escaping @Sendable () async -> Void = {}) {
        self.password = password
        self.answer = answer
        self.codeNeeded = codeNeeded
    }

    /// icloudpd's console providers: `--password`/ICLOUD_PASSWORD first, then a no-echo
    /// prompt when stdin is a terminal; codes from the terminal or from piped stdin.
    public static func console(username: String, parameter: String?, askOnConsole: Bool) -> SignInPrompts {
        SignInPrompts(
            password: {
                if let parameter, !parameter.isEmpty { return parameter }
                guard askOnConsole, TerminalInput.stdinIsTerminal else { return nil }
                return TerminalInput.readSecret(prompt: "iCloud Password for \(username): ")
            },
            answer: { prompt in TerminalInput.readLine(prompt: prompt + ": ") })
    }
}
