import CCurl
import Foundation
import Synchronization

/// One thread driving a libcurl multi handle: it owns every easy handle, so curl is only ever
/// called from here. Other threads hand transfers in (and ask for cancellations) through a
/// locked inbox and `curl_multi_wakeup`. The multi handle keeps the connection cache, so
/// connections are reused per host and HTTP/2 streams share one connection.
final class CurlEventLoop: Sendable {
    private struct Inbox {
        var starting: [CurlTransfer] = []
        var cancelling: [CurlTransfer] = []
        var stopping = false
    }

    private let multi: OpaquePointerBox
    private let inbox = Mutex(Inbox())
    private let stopped = DispatchSemaphore(value: 0)

    /// `maxConnectionsPerHost` bounds open connections to one host; further transfers wait in
    /// curl's queue for a free one.
    init(maxConnectionsPerHost: Int) {
        CurlEventLoop.globalInit
        guard let handle = curl_multi_init() else { fatalError("curl_multi_init failed") }
        _ = ccurl_multi_setopt_long(handle, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        _ = ccurl_multi_setopt_long(handle, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        multi = OpaquePointerBox(handle)
        let thread = Thread { [self] in
            run()
            stopped.signal()
        }
        thread.name = "http"
        thread.start()
    }

    /// Ends the thread: transfers still running end as cancelled.
    func shutdown() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi.pointer)
        stopped.wait()
        curl_multi_cleanup(multi.pointer)
    }

    func start(_ transfer: CurlTransfer) {
        inbox.withLock { $0.starting.append(transfer) }
        curl_multi_wakeup(multi.pointer)
    }

    func cancel(_ transfer: CurlTransfer) {
        transfer.requestCancel()
        inbox.withLock { $0.cancelling.append(transfer) }
        curl_multi_wakeup(multi.pointer)
    }

    /// curl_global_init is thread-safe in the libcurl versions we link (7.84+), but once is enough.
    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    private func run() {
        let handle = multi.pointer
        // Transfers in curl's hands, by easy handle: keeps them alive while curl calls back.
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        func remove(_ transfer: CurlTransfer) {
            guard let easy = transfer.handle, active.removeValue(forKey: easy) != nil else { return }
            curl_multi_remove_handle(handle, easy)
            transfer.release()
        }
        while true {
            let (starting, cancelling, stopping) = inbox.withLock { box in
                defer { box.starting = []; box.cancelling = [] }
                return (box.starting, box.cancelling, box.stopping)
            }
            if stopping {
                for transfer in active.values + starting {
                    remove(transfer)
                    transfer.finish(.failure(.cancelled))
                }
                return
            }
            for transfer in starting {
                if transfer.isCancelRequested { transfer.finish(.failure(.cancelled)); continue }
                guard let easy = transfer.makeHandle() else { transfer.release(); continue }
                active[easy] = transfer
                if curl_multi_add_handle(handle, easy) != CURLM_OK {
                    remove(transfer)
                    transfer.finish(.failure(.transport(url: transfer.request.url, reason: "libcurl refused the transfer")))
                }
            }
            for transfer in cancelling where transfer.handle.map({ active[$0] != nil }) ?? false {
                remove(transfer)
                transfer.finish(.failure(.cancelled))
            }
            var running: Int32 = 0
            _ = curl_multi_perform(handle, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(handle, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                      let transfer = active[easy] else { continue }
                let result = ccurl_message_result(message)
                // Read status and headers before the handle goes.
                transfer.complete(result)
                remove(transfer)
            }
            _ = curl_multi_poll(handle, nil, 0, 1000, nil)
        }
    }
}

/// curl's multi handle, movable into the loop's thread.
private struct OpaquePointerBox: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
}
