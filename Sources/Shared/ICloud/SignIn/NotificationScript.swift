import Foundation

/// icloudpd's `--notification-script` (docs/references.md#icloudpd-modes): when a two-factor code
/// is needed, the script runs with no arguments before the code is asked for; the run waits for it,
/// ignores its exit status, and carries on whatever happens (a failure is one error line).
public struct NotificationScript: Sendable {
    /// Variables never handed to the script: our secrets.
    public static let withheldVariables: Set<String> = ["ICLOUD_PASSWORD", "IMMICH_API_KEY"]

    public let path: String
    public let environment: [String: String]

    /// `environment` is ours; the secrets are removed from it here.
    public init(path: String, environment: [String: String]) {
        self.path = path
        self.environment = environment.filter { !Self.withheldVariables.contains($0.key) }
    }

    /// Why the script runs: `ICLOUDPD_EVENT` in its environment, with a one-line
    /// `ICLOUDPD_MESSAGE`.
    public enum Event: String, Sendable {
        /// A two-factor code (or the password) is needed.
        case codeNeeded = "code-needed"
        /// A watch iteration ended with an error; the loop goes on.
        case iterationFailed = "iteration-failed"
        /// The first good iteration after failed ones.
        case recovered
    }

    /// Runs the script and waits for it without holding a cooperative thread; never throws.
    public func notify(event: Event = .codeNeeded, message: String = "Two-factor authentication is required") async {
        Log.debug("Executing notification script...")
        do {
            _ = try await run(event: event, message: message)
        } catch {
            let what = event == .codeNeeded ? "the required MFA" : "event \(event.rawValue)"
            Log.error("Notification of \(what) failed: \(error.localizedDescription) (\(path))")
        }
    }

    /// The script's exit status. No shell, no arguments, stdin from /dev/null, its output on
    /// our stderr (our stdout may carry records).
    func run(event: Event = .codeNeeded, message: String = "Two-factor authentication is required") async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = []
        var environment = self.environment
        environment["ICLOUDPD_EVENT"] = event.rawValue
        // One line, no secrets.
        environment["ICLOUDPD_MESSAGE"] = Log.shared.scrub(message).split(whereSeparator: \.isNewline).joined(separator: " ")
        process.environment = environment
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        let box = ProcessBox(process)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, Error>) in
            box.process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try box.process.run()
            } catch {
                // Not launched: the termination handler never runs.
                box.process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }

    /// Process is not Sendable; it is only touched here and by its own termination handler.
    private final class ProcessBox: @unchecked Sendable {
        let process: Process
        init(_ process: Process) { self.process = process }
    }
}
