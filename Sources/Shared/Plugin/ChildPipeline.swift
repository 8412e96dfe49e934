#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Child processes joined by pipes, like `a | b | c` in a shell, fed by us on stage 0's stdin.
/// Each child's stderr is read as it comes and logged line by line with the child's name;
/// the last stage's stdout is collected. `exits()` waits for all of them.
///
/// Spawning and reaping happen on one dedicated thread that lives until every child has
/// exited: the kernel sends PR_SET_PDEATHSIG when the spawning *thread* ends, so a pool
/// thread (which may retire while idle) must not spawn them.
public final class ChildPipeline: @unchecked Sendable {
    // @unchecked: mutable state is guarded by `lock`; `processes` is written once before `started`.
    public struct Stage: Sendable {
        public let name: String
        public let executable: URL
        public let arguments: [String]

        public init(name: String, executable: URL, arguments: [String]) {
            self.name = name
            self.executable = executable
            self.arguments = arguments
        }
    }

    /// How one child ended.
    public struct Exit: Sendable, Equatable {
        public let stage: String
        public let status: Int32
        public let signaled: Bool
        /// The last error line the child logged (for the wrapper's own message).
        public var lastError: String?

        public init(stage: String, status: Int32, signaled: Bool, lastError: String? = nil) {
            self.stage = stage
            self.status = status
            self.signaled = signaled
            self.lastError = lastError
        }
    }

    public let stages: [Stage]
    /// Stage 0's stdin; `closeInput()` ends the input.
    public let inputDescriptor: Int32
    private let input = Pipe()
    private let lock = NSLock()
    private var processes: [Process] = []
    private var exitList: [Exit]?
    private var lastErrors: [String?]
    private var outputLines: [String] = []
    private var inputClosed = false
    private let done = DispatchGroup()

    public init(_ stages: [Stage], environment: [String: String]) throws(ToolError) {
        self.stages = stages
        self.lastErrors = Array(repeating: nil, count: stages.count)
        inputDescriptor = input.fileHandleForWriting.fileDescriptor
        // A reader that went away must surface as EPIPE, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        var environment = environment
        environment[ParentDeathSignal.variable] = String(getpid())
        let childEnvironment = environment

        let started = DispatchSemaphore(value: 0)
        let failure = LockedBox<ToolError?>(nil)
        done.enter()
        let thread = Thread { [self] in
            defer { done.leave() }
            do throws(ToolError) {
                try spawn(environment: childEnvironment)
            } catch {
                failure.value = error
                started.signal()
                return
            }
            started.signal()
            reap()
        }
        thread.name = "immich-pipeline"
        thread.start()
        started.wait()
        if let error = failure.value {
            try? input.fileHandleForWriting.close()
            throw error
        }
    }

    private func spawn(environment: [String: String]) throws(ToolError) {
        var previous: Pipe? = nil
        var launched: [Process] = []
        for (index, stage) in stages.enumerated() {
            let process = Process()
            process.executableURL = stage.executable
            process.arguments = stage.arguments
            process.environment = environment
            process.standardInput = index == 0 ? input : previous
            let output = Pipe(), errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            previous = output
            do {
                try process.run()
            } catch {
                for child in launched { kill(child.processIdentifier, SIGKILL) }
                for child in launched { child.waitUntilExit() }
                throw .runtime("cannot start \(stage.executable.path): \(error.localizedDescription)")
            }
            launched.append(process)
            drainErrors(errors, stage: index)
            if index == stages.count - 1 { drainOutput(output) }
        }
        lock.withLock { processes = launched }
    }

    private func reap() {
        var exits: [Exit] = []
        let launched = lock.withLock { processes }
        for (index, process) in launched.enumerated() {
            process.waitUntilExit()
            exits.append(Exit(stage: stages[index].name, status: process.terminationStatus,
                              signaled: process.terminationReason == .uncaughtSignal))
        }
        lock.withLock { exitList = exits }
    }

    /// Logs each stderr line of a child as `[name] message` (its own `name:` prefix dropped).
    private func drainErrors(_ pipe: Pipe, stage: Int) {
        let name = stages[stage].name
        let fd = pipe.fileHandleForReading.fileDescriptor
        done.enter()
        Thread.detachNewThread { [self] in
            defer { done.leave() }
            ChildPipeline.readLines(fd) { line in
                let (level, message) = ChildPipeline.parseLogLine(line, program: name)
                if level >= .error { lock.withLock { lastErrors[stage] = message } }
                Log.shared.log(max(level, Log.shared.level), "[\(name)] \(message)")
            }
            try? pipe.fileHandleForReading.close()
        }
    }

    private func drainOutput(_ pipe: Pipe) {
        let fd = pipe.fileHandleForReading.fileDescriptor
        done.enter()
        Thread.detachNewThread { [self] in
            defer { done.leave() }
            ChildPipeline.readLines(fd) { line in lock.withLock { outputLines.append(line) } }
            try? pipe.fileHandleForReading.close()
        }
    }

    static func readLines(_ fd: Int32, _ body: (String) -> Void) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: 0x0A) {
                body(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
        if !pending.isEmpty { body(String(decoding: pending, as: UTF8.self)) }
    }

    /// `immich-scan: warning: text` → (.warning, "text"); lines of other shapes are info.
    static func parseLogLine(_ line: String, program: String) -> (LogLevel, String) {
        var rest = Substring(line)
        if rest.hasPrefix(program + ": ") { rest = rest.dropFirst(program.count + 2) }
        for level in [LogLevel.error, .warning, .debug] where rest.hasPrefix(level.name + ": ") {
            return (level, String(rest.dropFirst(level.name.count + 2)))
        }
        return (.info, String(rest))
    }

    /// Ends stage 0's input (end of input = the last batch is flushed).
    public func closeInput() {
        let shouldClose = lock.withLock { () -> Bool in
            defer { inputClosed = true }
            return !inputClosed
        }
        if shouldClose { try? input.fileHandleForWriting.close() }
    }

    /// Sends `signal` to every child still running (SIGINT/SIGTERM forwarding: each child is
    /// in its own process group, so a terminal's Ctrl-C reaches only us).
    public func signalAll(_ signal: Int32) {
        for process in lock.withLock({ processes }) where process.isRunning {
            kill(process.processIdentifier, signal)
        }
    }

    /// Waits (on a thread of its own, never the cooperative pool) for every child and pipe.
    public func exits() async -> [Exit] {
        await withCheckedContinuation { continuation in
            done.notify(queue: .global()) { continuation.resume() }
        }
        return exitsNow
    }

    /// The exits once `hasEnded` said so (empty before).
    var exitsNow: [Exit] {
        lock.withLock {
            (exitList ?? []).enumerated().map { index, exit in
                var exit = exit
                exit.lastError = lastErrors[index]
                return exit
            }
        }
    }

    /// Whether every child has exited and every pipe is drained.
    public func hasEnded(timeout: Double) -> Bool { done.wait(timeout: .now() + timeout) == .success }

    /// The last stage's stdout, line by line (valid after `exits()`).
    public var output: [String] { lock.withLock { outputLines } }

    /// The stage that made the run fail, like `set -o pipefail` but the most upstream one:
    /// anything but 0 and 5 (partial). A death by SIGPIPE means a later stage exited first: not
    /// itself a failure.
    public static func firstFailure(_ exits: [Exit]) -> Exit? {
        exits.first { exit in
            exit.signaled ? exit.status != SIGPIPE : (exit.status != 0 && exit.status != ExitCode.partial.rawValue)
        }
    }
}

/// A value shared between a thread and its starter.
final class LockedBox<Value>: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
