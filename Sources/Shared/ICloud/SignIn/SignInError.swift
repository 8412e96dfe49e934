import Foundation

/// Everything that can stop a sign-in, each with one sentence for the user that says what to
/// do next, and the exit code it maps to (3 authentication, 4 code needed, 1 runtime).
public enum SignInError: Error, Sendable, Equatable {
    case noPassword
    case wrongPassword
    case accountLocked
    case wrongCode
    case codeNeeded
    /// Apple answered 503 (or 429) even after retrying.
    case throttled
    case network(String)
    /// An answer we cannot use; the text names the call and the status.
    case unexpected(String)
    case corruptSessionFiles(path: String)
    case fileSystem(String)
    /// `accountLogin` answered `domainToUse`.
    case wrongDomain(String)
    case serviceNotActivated

    public var exitCode: ExitCode {
        switch self {
        case .noPassword, .wrongPassword, .accountLocked, .wrongCode: .authentication
        case .codeNeeded: .twoFactorNeeded
        case .throttled, .network, .unexpected, .corruptSessionFiles, .fileSystem, .serviceNotActivated: .runtime
        case .wrongDomain: .usage
        }
    }

    public func message(username: String) -> String {
        switch self {
        case .noPassword:
            "No password for \(username): pass --password, set ICLOUD_PASSWORD, or run icloudpd in a terminal to be asked."
        case .wrongPassword:
            "Invalid email/password combination for \(username): check the Apple ID and password and try again."
        case .accountLocked:
            "The Apple ID \(username) is locked: unlock it at https://iforgot.apple.com, then run icloudpd again."
        case .wrongCode:
            "Apple rejected the two-factor code (wrong or expired): run icloudpd again and enter the newest code."
        case .codeNeeded:
            "Two-factor authentication is required for \(username) but there is no terminal to ask on: run 'icloudpd --username \(username) --auth-only' in a terminal, or pipe the code on stdin."
        case .throttled:
            "Apple iCloud is temporarily refusing to serve icloudpd (HTTP 503): wait a few minutes, then try again."
        case .network(let reason):
            "Cannot connect to Apple iCloud service (\(reason)): check the network connection and try again."
        case .unexpected(let what):
            "Apple's sign-in answered unexpectedly (\(what)): try again later; if it persists, delete the session files in --cookie-directory and sign in afresh."
        case .corruptSessionFiles(let path):
            "The saved session file \(path) is damaged: delete it (and its .session or cookie twin) and run icloudpd again to sign in afresh."
        case .fileSystem(let reason):
            "Cannot save the session (\(reason)): check that --cookie-directory is writable."
        case .wrongDomain(let domain):
            "Apple insists on using \(domain) for your request: run again with --domain \(domain == "cn" ? "cn" : "com")."
        case .serviceNotActivated:
            "Apple iCloud setup is not complete: log into https://icloud.com/ to finish setting up your iCloud service, then run icloudpd again."
        }
    }

    public func toolError(username: String) -> ToolError { ToolError(exitCode, message(username: username)) }
}
