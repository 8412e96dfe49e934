#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// SIGINT/SIGTERM to the wrapper go to the running pipeline's children too (Foundation puts
/// each child in its own process group, so a terminal's Ctrl-C reaches only us), then the
/// wrapper exits with 128 + signal once they are gone. What they had not finished stays in
/// the journal for the next run.
///
/// The dispatch sources are kept for the whole process: a released source still swallows its
/// signal (libdispatch uses signalfd on Linux), which would make the wrapper immune to kill.
public final class SignalForwarder: @unchecked Sendable {
    // @unchecked: `current` is guarded by `lock`; `sources` is written once in `install`.
    public static let shared = SignalForwarder()

    private let lock = NSLock()
    private var current: ChildPipeline?
    private var sources: [DispatchSourceSignal] = []

    /// Installs the handlers once; later calls do nothing.
    public func install() {
        lock.lock(); defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in received(number) }
            source.resume()
            sources.append(source)
        }
    }

    public func watch(_ pipeline: ChildPipeline?) { lock.withLock { current = pipeline } }

    private func received(_ number: Int32) {
        let pipeline = lock.withLock { current }
        let name = number == SIGINT ? "SIGINT" : "SIGTERM"
        if let pipeline {
            Log.warning("\(name): stopping the Immich steps; unfinished photos stay in the journal for the next run")
            pipeline.signalAll(number)
            _ = pipeline.hasEnded(timeout: 10)
        }
        _exit(128 + number)
    }
}
