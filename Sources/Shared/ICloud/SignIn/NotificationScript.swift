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

    /// Runs the script and waits for it without holding a cooperative thread; never throws.
    public func notify() async {
        Log.debug("Executing notification script...")
        do {
            _ = try await run()
        } catch {
            Log.error("Notification of the required MFA failed: \(error.localizedDescription) (\(path))")
        }
    }

    /// The script's exit status. No shell, no arguments, stdin from /dev/null, its output on
    /// our stderr (our stdout may carry records).
    func run() async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = []
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
