import CCurl
import Foundation
import Synchronization

/// The one HTTP client, on the system libcurl: one event-loop thread per client drives every
/// transfer (keep-alive connections per host, HTTP/2 where a TLS server offers it), bodies go
/// to curl whole from memory, downloads stream straight into their file. No cookie storage or
/// cache. One retry loop for every request: connection errors, stalls, 429 and 5xx are retried
/// with exponential backoff and jitter (`Retry-After` honoured) when the request allows it;
/// other statuses are returned to the caller, who turns them into messages.
///
/// Timeouts: a connect timeout, and a stall detector instead of a limit on the whole request
/// (`timeout`): a transfer during which nothing moves for that long fails, so a 4 GB video
/// never times out while a dead connection is noticed. Proxies come from the environment as
/// curl reads them (`HTTPS_PROXY`, `https_proxy`, `http_proxy`, `ALL_PROXY`, `NO_PROXY`).
public final class HTTPClient: Sendable {
    public struct RetryPolicy: Sendable {
        public var maxAttempts: Int
        public var baseDelay: TimeInterval
        public var maxDelay: TimeInterval

        public init(maxAttempts: Int = 5, baseDelay: TimeInterval = 0.2, maxDelay: TimeInterval = 10) {
            self.maxAttempts = maxAttempts
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
        }

        public static let none = RetryPolicy(maxAttempts: 1)

        /// Full jitter: a random wait up to the exponential bound, so clients do not retry in step.
        func delay(afterAttempt attempt: Int, retryAfter: TimeInterval?) -> TimeInterval {
            if let retryAfter { return min(retryAfter, maxDelay) }
            let bound = min(maxDelay, baseDelay * pow(2, Double(attempt - 1)))
            return Double.random(in: bound / 2...bound)
        }
    }

    public let retryPolicy: RetryPolicy
    /// The stall window in seconds (a request's own `timeout` overrides it).
    public let timeout: TimeInterval
    private let loop: CurlEventLoop
    private let options: CurlTransfer.TransferOptions

    /// - Parameters:
    ///   - caFile: PEM certificates to trust instead of the system store (a private CA);
    ///     without it, `SSL_CERT_FILE` from the environment if set, as OpenSSL's tools read it.
    public init(maxConnectionsPerHost: Int = 8, timeout: TimeInterval = 30, retryPolicy: RetryPolicy = RetryPolicy(),
                followRedirects: Bool = true, caFile: String? = nil, connectTimeout: TimeInterval = 10) {
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        let environmentCA = ProcessInfo.processInfo.environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        options = CurlTransfer.TransferOptions(
            connectTimeout: connectTimeout, stallTimeout: timeout, followRedirects: followRedirects,
            caFile: caFile ?? environmentCA, userAgent: Self.userAgent)
        loop = CurlEventLoop(maxConnectionsPerHost: maxConnectionsPerHost)
    }

    deinit { loop.shutdown() }

    /// The User-Agent sent when a request names none: the one URLSession on Linux sent before
    /// this client replaced it (`<command> (unknown version) curl/<version>`).
    static let userAgent: String = {
        let version = curl_version_info(CURLVERSION_TENTH)?.pointee.version.map { String(cString: $0) } ?? "?"
        return "\(ProcessInfo.processInfo.processName) (unknown version) curl/\(version)"
    }()

    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        try await perform(request, sink: .memory, resumeFrom: nil)
    }

    /// A GET streamed straight into `path` at constant memory: a 200 replaces the file's content,
    /// a 206 writes where its `Content-Range` says; other statuses leave the file alone and come
    /// back with their (error) body. With `resume`, every attempt asks for `Range: bytes=<size>-`
    /// of the file as it is then, so a retry after a dropped connection goes on where it stopped.
    public func download(_ request: HTTPRequest, into path: String, resume: Bool) async throws(HTTPError) -> HTTPResponse {
        try await perform(request, sink: .file(path: path), resumeFrom: resume ? path : nil)
    }

    private func perform(_ request: HTTPRequest, sink: ResponseBodySink, resumeFrom path: String?) async throws(HTTPError) -> HTTPResponse {
        let attempts = request.retry == .always ? max(1, request.maxAttempts ?? retryPolicy.maxAttempts) : 1
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw .cancelled }
            var current = request
            if let path { current.headers["Range"] = "bytes=\(Self.fileSize(path))-" }
            let wait: TimeInterval
            switch await transfer(current, sink: sink, attempt: attempt) {
            case .response(let response):
                let retryable = response.status == 429 || (500...599).contains(response.status)
                if !retryable || attempt >= attempts { return response }
                wait = retryPolicy.delay(afterAttempt: attempt, retryAfter: response.header("retry-after").flatMap(TimeInterval.init))
                Log.debug("\(request.method) \(HTTPError.redactedURL(request.url)) answered \(response.status); retry \(attempt)/\(attempts - 1) in \(String(format: "%.2f", wait)) s")
            case .failure(let error):
                if !error.isRetryable || attempt >= attempts { throw error }
                wait = retryPolicy.delay(afterAttempt: attempt, retryAfter: nil)
                Log.debug("\(request.method) \(HTTPError.redactedURL(request.url)) failed (\(error)); retry \(attempt)/\(attempts - 1) in \(String(format: "%.2f", wait)) s")
            }
            do { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) } catch { throw .cancelled }
        }
    }

    /// One attempt on the event loop; task cancellation stops the transfer.
    private func transfer(_ request: HTTPRequest, sink: ResponseBodySink, attempt: Int) async -> TransferOutcome {
        let box = TransferBox()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TransferOutcome, Never>) in
                let transfer = CurlTransfer(request: request, sink: sink, attempt: attempt, options: options) { outcome in
                    continuation.resume(returning: outcome)
                }
                box.set(transfer)
                loop.start(transfer)
            }
        } onCancel: {
            if let transfer = box.take() { loop.cancel(transfer) }
        }
    }

    private static func fileSize(_ path: String) -> Int64 {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : 0
    }
}

/// Hands the transfer to the cancellation handler, which may run before it exists (then the
/// transfer is marked cancelled as soon as it is set).
private final class TransferBox: Sendable {
    private struct State { var transfer: CurlTransfer?; var cancelled = false }
    private let state = Mutex(State())

    func set(_ transfer: CurlTransfer) {
        let cancelled = state.withLock { state -> Bool in
            state.transfer = transfer
            return state.cancelled
        }
        if cancelled { transfer.requestCancel() }
    }

    func take() -> CurlTransfer? {
        state.withLock { state in
            state.cancelled = true
            return state.transfer
        }
    }
}
