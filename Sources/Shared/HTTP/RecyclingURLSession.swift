import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A URLSession replaced by a fresh one every `tasksPerSession` tasks. On Linux,
/// swift-corelibs-foundation's URLSession keeps some state for every task it ever ran (about
/// 0.75 KB each) until the session is invalidated, so a single session over tens of thousands
/// of downloads makes peak RSS grow with the library. The old session finishes its running
/// tasks, then is released (`finishTasksAndInvalidate`); one new connection per recycle is
/// the whole cost.
final class RecyclingURLSession: Sendable {
    private let make: @Sendable () -> URLSession
    private let tasksPerSession: Int
    private let state: Mutex<(session: URLSession, used: Int)>

    init(tasksPerSession: Int, make: @escaping @Sendable () -> URLSession) {
        self.make = make
        self.tasksPerSession = max(1, tasksPerSession)
        state = Mutex((make(), 0))
    }

    deinit { state.withLock { $0.session.finishTasksAndInvalidate() } }

    /// The session for the next task.
    func next() -> URLSession {
        state.withLock { s in
            if s.used >= tasksPerSession {
                s.session.finishTasksAndInvalidate()
                s.session = make()
                s.used = 0
            }
            s.used += 1
            return s.session
        }
    }
}
