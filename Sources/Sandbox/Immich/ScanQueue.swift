import Foundation
import Synchronization

/// Library scan jobs run one after another on a private serial queue (never the main queue);
/// `pending` counts jobs queued or running so callers can wait for idle.
final class ScanQueue: Sendable {
    private let queue = DispatchQueue(label: "sandbox.immich.scan")
    private let pending = Mutex(0)

    var isIdle: Bool { pending.withLock { $0 == 0 } }

    func enqueue(_ job: @escaping @Sendable () -> Void) {
        pending.withLock { $0 += 1 }
        queue.async { [self] in
            job()
            self.pending.withLock { $0 -= 1 }
        }
    }

    func waitForIdle(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !isIdle {
            if Date() >= deadline { return false }
            usleep(5_000)
        }
        return true
    }
}
