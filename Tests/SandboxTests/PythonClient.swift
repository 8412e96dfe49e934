import Foundation

/// Runs `python3 -c SCRIPT ARGS…`: an HTTP(S) client independent of ours (its own `ssl` module
/// and certificate checks) to test the server with. python3 is on every machine we build on.
enum PythonClient {
    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// Waits on a thread of its own (never on Swift's cooperative pool); the child is killed
    /// after `timeout`, so a server that hangs fails the test instead of stalling the suite.
    static func run(_ script: String, _ arguments: [String] = [], timeout: TimeInterval = 30) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do { continuation.resume(returning: try runBlocking(script, arguments, timeout: timeout)) } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private static func runBlocking(_ script: String, _ arguments: [String], timeout: TimeInterval) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let stderrText = Collected()
        let reader = Thread { stderrText.data = errors.fileHandleForReading.readDataToEndOfFile(); stderrText.done.signal() }
        reader.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        stderrText.done.wait()
        process.waitUntilExit()
        watchdog.cancel()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: stderrText.data, as: UTF8.self))
    }

    private final class Collected: @unchecked Sendable {
        // @unchecked: written by the reader thread before `done` is signalled, read after.
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }
}
