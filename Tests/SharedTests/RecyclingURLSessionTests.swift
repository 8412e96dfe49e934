import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import Shared
import Testing

/// Download sessions are replaced every N tasks (bounded per-task state on Linux).
@Suite struct RecyclingURLSessionTests {
    @Test func aFreshSessionEveryNTasks() {
        let sessions = RecyclingURLSession(tasksPerSession: 3) { URLSession(configuration: .ephemeral) }
        let handed = (0..<7).map { _ in sessions.next() }  // kept alive: identities stay distinct
        #expect(handed[0] === handed[2] && handed[3] === handed[5])
        #expect(handed[0] !== handed[3])
        #expect(handed[3] !== handed[6])
    }
}
