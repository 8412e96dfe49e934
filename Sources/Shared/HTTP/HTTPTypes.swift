import Foundation

public struct HTTPRequest: Sendable {
    public enum Retry: Sendable {
        /// Safe to send again after any retryable failure (GET, PUT, idempotent POST queries).
        case always
        /// Never resent automatically: the caller first checks whether the first attempt landed.
        case never
    }

    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: Data?
    public var retry: Retry
    /// Stall window for this request: it fails when nothing moves for this many seconds.
    public var timeout: TimeInterval?
    /// Overrides the client's `RetryPolicy.maxAttempts` (downloads retry longer than sign-in).
    public var maxAttempts: Int? = nil

    public init(method: String, url: URL, headers: [String: String] = [:], body: Data? = nil, retry: Retry = .always, timeout: TimeInterval? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.retry = retry
        self.timeout = timeout
    }
}

public struct HTTPResponse: Sendable {
    public let status: Int
    /// Header names lower-cased.
    public let headers: [String: String]
    public let body: Data
    public let url: URL?
    /// How many attempts the client needed (1 = no retry).
    public let attempts: Int
    /// The protocol the answer came in: "1.1", "2", …
    public let httpVersion: String

    public init(status: Int, headers: [String: String], body: Data, url: URL?, attempts: Int = 1, httpVersion: String = "1.1") {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
        self.attempts = attempts
        self.httpVersion = httpVersion
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The server's clock, from the `Date` header.
    public var serverDate: Date? {
        guard let raw = header("date") else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: raw)
    }
}

public enum HTTPError: Error, Sendable, CustomStringConvertible {
    /// No HTTP answer: connection refused, dropped, stalled, DNS.
    case transport(url: URL, reason: String)
    /// The server's certificate does not verify against the trusted CAs (never retried).
    case tls(host: String, reason: String)
    /// A download could not be written to its file (never retried: a full disk stays full).
    case file(path: String, reason: String)
    case cancelled

    public var description: String {
        switch self {
        case .transport(let url, let reason): "cannot reach \(HTTPError.redactedURL(url)): \(reason)"
        case .tls(let host, let reason): "the TLS certificate of \(host) is not trusted (\(reason))"
        case .file(let path, let reason): "IOError while writing file to \(path): \(reason)"
        case .cancelled: "request cancelled"
        }
    }

    /// The part after "cannot reach URL: ", for messages that name the server themselves.
    public var reason: String {
        switch self {
        case .transport(_, let reason): reason
        case .tls, .file: description
        case .cancelled: "cancelled"
        }
    }

    var isRetryable: Bool {
        if case .transport = self { return true }
        return false
    }

    /// Scheme, host, port and path only: query strings may carry keys.
    public static func redactedURL(_ url: URL) -> String {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.query = nil
        components?.user = nil
        components?.password = nil
        return components?.string ?? url.absoluteString
    }
}
