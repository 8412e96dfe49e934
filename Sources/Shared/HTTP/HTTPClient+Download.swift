import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A body streamed to a temporary file: the caller moves or appends it, then deletes it.
public struct HTTPDownload: Sendable {
    public let status: Int
    /// Header names lower-cased.
    public let headers: [String: String]
    /// The body on disk (URLSession's temp file), nil when there was none.
    public let file: URL?
    public let attempts: Int

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Removes the temporary file (if it is still there).
    public func discard() {
        if let file { try? FileManager.default.removeItem(at: file) }
    }
}

extension HTTPClient {
    /// GET streamed to a temporary file at constant memory (`URLSession.download(for:)`),
    /// with the same retries as `send` (connection errors, 429, 5xx; `Retry-After` honoured).
    /// The caller sends its own `Range` header; a retry repeats it unchanged.
    public func download(_ request: HTTPRequest) async throws(HTTPError) -> HTTPDownload {
        let attempts = request.retry == .always ? max(1, request.maxAttempts ?? retryPolicy.maxAttempts) : 1
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw .cancelled }
            switch await downloadOnce(request, attempt: attempt) {
            case .success(let download):
                let retryable = download.status == 429 || (500...599).contains(download.status)
                if !retryable || attempt >= attempts { return download }
                download.discard()
                let wait = retryPolicy.delay(afterAttempt: attempt, retryAfter: download.header("retry-after").flatMap(TimeInterval.init))
                Log.debug("GET \(HTTPError.redactedURL(request.url)) answered \(download.status); retry \(attempt)/\(attempts - 1) in \(String(format: "%.2f", wait)) s")
                try await pause(wait)
            case .failure(let error):
                if case .cancelled = error { throw error }
                if attempt >= attempts { throw error }
                let wait = retryPolicy.delay(afterAttempt: attempt, retryAfter: nil)
                Log.debug("GET \(HTTPError.redactedURL(request.url)) failed (\(error)); retry \(attempt)/\(attempts - 1) in \(String(format: "%.2f", wait)) s")
                try await pause(wait)
            }
        }
    }

    private func pause(_ seconds: TimeInterval) async throws(HTTPError) {
        do { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) } catch { throw .cancelled }
    }

    private func downloadOnce(_ request: HTTPRequest, attempt: Int) async -> Result<HTTPDownload, HTTPError> {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = request.timeout ?? timeout
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        do {
            let (file, response) = try await urlSession.download(for: urlRequest)
            guard let http = response as? HTTPURLResponse else {
                try? FileManager.default.removeItem(at: file)
                return .failure(.transport(url: request.url, reason: "not an HTTP response"))
            }
            var headers: [String: String] = [:]
            for (key, value) in http.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
            }
            return .success(HTTPDownload(status: http.statusCode, headers: headers, file: file, attempts: attempt))
        } catch let error as URLError {
            if error.code == .cancelled { return .failure(.cancelled) }
            return .failure(.transport(url: request.url, reason: Self.describe(error)))
        } catch {
            return .failure(.transport(url: request.url, reason: "\(error)"))
        }
    }
}
