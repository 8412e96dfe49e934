import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one HTTP client: a single keep-alive URLSession, no shared cookie storage or cache
/// (URLSession's jar is buggy on Linux and persists itself), and retries with exponential
/// backoff and jitter on connection errors, 429 and 5xx only. Other statuses are returned to
/// the caller, who turns them into messages.
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

    private let session: URLSession
    /// The same session, for the download extension.
    var urlSession: URLSession { session }
    private let delegate: RedirectPolicy
    public let retryPolicy: RetryPolicy
    public let timeout: TimeInterval

    public init(maxConnectionsPerHost: Int = 8, timeout: TimeInterval = 60, retryPolicy: RetryPolicy = RetryPolicy(), followRedirects: Bool = true) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        delegate = RedirectPolicy(follow: followRedirects)
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        self.retryPolicy = retryPolicy
        self.timeout = timeout
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let attempts = request.retry == .always ? max(1, request.maxAttempts ?? retryPolicy.maxAttempts) : 1
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw .cancelled }
            let outcome = await sendOnce(request, attempt: attempt)
            switch outcome {
            case .success(let response):
                let retryable = response.status == 429 || (500...599).contains(response.status)
                if !retryable || attempt >= attempts { return response }
                let wait = retryPolicy.delay(afterAttempt: attempt, retryAfter: response.header("retry-after").flatMap(TimeInterval.init))
                Log.debug("\(request.method) \(HTTPError.redactedURL(request.url)) answered \(response.status); retry \(attempt)/\(attempts - 1) in \(String(format: "%.2f", wait)) s")
                try await sleep(wait)
            case .failure(let error):
                if case .cancelled = error { throw error }
                if attempt >= attempts { throw error }
                let wait = retryPolicy.delay(afterAttempt: attempt, retryAfter: nil)
                Log.debug("\(request.method) \(HTTPError.redactedURL(request.url)) failed (\(error)); retry \(attempt)/\(attempts - 1) in \(String(format: "%.2f", wait)) s")
                try await sleep(wait)
            }
        }
    }

    private func sleep(_ seconds: TimeInterval) async throws(HTTPError) {
        do { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) } catch { throw .cancelled }
    }

    private func sendOnce(_ request: HTTPRequest, attempt: Int) async -> Result<HTTPResponse, HTTPError> {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        urlRequest.timeoutInterval = request.timeout ?? timeout
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if request.body != nil {
            if urlRequest.value(forHTTPHeaderField: "Content-Type") == nil {
                urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            // Requests with a body go on a fresh connection: on Linux, URLSession stalls until the
            // idle timeout when a reused keep-alive connection closes under such a request (servers
            // close idle ones: Node's default is 5 s) instead of failing so it can be retried.
            urlRequest.setValue("close", forHTTPHeaderField: "Connection")
        }
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else {
                return .failure(.transport(url: request.url, reason: "not an HTTP response"))
            }
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
            }
            return .success(HTTPResponse(status: http.statusCode, headers: headers, body: data, url: http.url, attempts: attempt))
        } catch let error as URLError {
            if error.code == .cancelled { return .failure(.cancelled) }
            return .failure(.transport(url: request.url, reason: Self.describe(error)))
        } catch {
            return .failure(.transport(url: request.url, reason: "\(error)"))
        }
    }

    static func describe(_ error: URLError) -> String {
        switch error.code {
        case .cannotConnectToHost: "connection refused"
        case .timedOut: "timed out"
        case .networkConnectionLost: "connection lost"
        case .cannotFindHost, .dnsLookupFailed: "host not found"
        case .notConnectedToInternet: "network is down"
        case .badServerResponse: "bad server response"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate: "TLS failed"
        default: "network error \(error.code.rawValue)"
        }
    }
}

/// Session-level delegate (per-task delegates are ignored on Linux) that can stop redirects,
/// so sign-in code sees the 30x and its cookies.
final class RedirectPolicy: NSObject, URLSessionTaskDelegate, Sendable {
    let follow: Bool
    init(follow: Bool) { self.follow = follow }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(follow ? request : nil)
    }
}
