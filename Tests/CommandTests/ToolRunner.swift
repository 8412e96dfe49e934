import Foundation
import Testing

/// Runs the built command-line tools as a user would: real processes, real pipes, exit codes.
enum ToolRunner {
    /// The folder holding the built executables (next to the test bundle).
    static let binDirectory: URL = {
        if let override = ProcessInfo.processInfo.environment["TOOLS_BIN_DIR"] { return URL(fileURLWithPath: override) }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = exe.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("immich-scan").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }()

    static func url(_ tool: String) -> URL { binDirectory.appendingPathComponent(tool) }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// Environment for children: ours minus anything that would point them elsewhere.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("IMMICH_") { environment[key] = nil }
        environment.merge(extra) { $1 }
        return environment
    }

    static func run(_ tool: String, _ arguments: [String], stdin: String = "", environment extra: [String: String] = [:]) throws -> Result {
        try run(executable: url(tool), arguments, stdin: stdin, environment: environment(extra))
    }

    /// Any program (python3, man, systemd-analyze…) with exactly this environment; stdin is
    /// written then closed, stdout and stderr collected.
    static func run(executable: URL, _ arguments: [String], stdin: String = "", environment: [String: String],
                    currentDirectory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = currentDirectory
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let collector = OutputCollector(output: output, errors: errors)
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let (out, err) = collector.wait()
        return Result(status: process.terminationStatus, stdout: out, stderr: err)
    }
}

/// Drains pipes on their own threads so a chatty child never blocks on a full pipe.
final class OutputCollector: @unchecked Sendable {
    // @unchecked: each buffer is written by one thread and read after `group.wait()`.
    private var buffers: [Data]
    private let group = DispatchGroup()

    init(pipes: [Pipe]) {
        buffers = Array(repeating: Data(), count: pipes.count)
        for (index, pipe) in pipes.enumerated() {
            group.enter()
            Thread.detachNewThread { [self] in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                buffers[index] = data
                group.leave()
            }
        }
    }

    convenience init(output: Pipe, errors: Pipe) { self.init(pipes: [output, errors]) }

    func wait() -> (String, String) {
        let all = waitAll()
        return (all[0], all.dropFirst().joined())
    }

    func waitAll() -> [String] {
        group.wait()
        return buffers.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A chain of tools joined by pipes, fed by the test, like `a | b | c` in a shell.
final class ToolPipeline: @unchecked Sendable {
    // @unchecked: the processes are only touched from the test's thread.
    let processes: [Process]
    let input = Pipe()
    private let collector: OutputCollector

    init(_ stages: [(String, [String])], environment extra: [String: String] = [:]) throws {
        var processes: [Process] = []
        var previous: Pipe? = nil
        var errorPipes: [Pipe] = []
        let finalOutput = Pipe()
        for (index, stage) in stages.enumerated() {
            let process = Process()
            process.executableURL = ToolRunner.url(stage.0)
            process.arguments = stage.1
            process.environment = ToolRunner.environment(extra)
            process.standardInput = previous ?? input
            let isLast = index == stages.count - 1
            let output = isLast ? finalOutput : Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            errorPipes.append(errors)
            processes.append(process)
            previous = isLast ? nil : output
        }
        for process in processes { try process.run() }
        self.processes = processes
        collector = OutputCollector(pipes: [finalOutput] + errorPipes)
    }

    func write(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }

    func closeInput() { try? input.fileHandleForWriting.close() }

    func killAll() {
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for every stage; returns their exit statuses, the last stage's stdout and all stderr.
    func finish() -> (statuses: [Int32], stdout: String, stderr: String) {
        closeInput()
        for process in processes { process.waitUntilExit() }
        let (out, err) = collector.wait()
        return (processes.map(\.terminationStatus), out, err)
    }
}

extension ToolRunner {
    /// `run` on a thread of its own, so waiting for the child never blocks Swift's cooperative
    /// pool (two threads here; a blocked one stalls every other test).
    static func run(_ tool: String, _ arguments: [String], stdin: String = "", environment: [String: String] = [:]) async throws -> Result {
        try await onThread { try run(tool, arguments, stdin: stdin, environment: environment) }
    }

    /// Starts `tool` (stdin empty, stdout and stderr into the file `log`) and reads the log until
    /// `done` holds for it, the tool exits, or `timeout` passes; then stops the tool. Returns
    /// the log and whether the tool was still running at the end (a watch loop staying alive).
    static func runWatchingLog(_ tool: String, _ arguments: [String], environment: [String: String], log: String,
                               timeout: TimeInterval = 30, until done: @escaping @Sendable (String) -> Bool) async throws -> (log: String, wasRunning: Bool) {
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = url(tool)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        return try await onThread {
            let deadline = Date().addingTimeInterval(timeout)
            var text = ""
            while process.isRunning && Date() < deadline {
                text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if done(text) { break }
                usleep(50_000)
            }
            let alive = process.isRunning
            if alive { process.terminate() }
            process.waitUntilExit()
            return (text, alive)
        }
    }

    /// Waits for a started process, sending it SIGKILL as soon as `condition` holds (checked
    /// every 2 ms, for at most `timeout`). True when the process died of a signal.
    static func kill(_ process: Process, when condition: @escaping @Sendable () -> Bool, timeout: TimeInterval = 60) async throws -> Bool {
        try await onThread {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline {
                if condition() { Glibc.kill(process.processIdentifier, SIGKILL); break }
                usleep(2_000)
            }
            process.waitUntilExit()
            return process.terminationReason == .uncaughtSignal
        }
    }

    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
        }
    }
}

extension ToolPipeline {
    func finish() async -> (statuses: [Int32], stdout: String, stderr: String) {
        (try? await ToolRunner.onThread { self.finish() }) ?? ([], "", "")
    }
}
