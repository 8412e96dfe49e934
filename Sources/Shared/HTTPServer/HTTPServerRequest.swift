import Foundation

/// One parsed HTTP/1.1 request as the server hands it to a handler.
public struct HTTPServerRequest: Sendable {
    public var method: String
    /// The path without the query string, still percent-encoded as sent.
    public var path: String
    /// Query parameters, percent-decoded; the last value wins for repeated names.
    public var query: [String: String]
    /// The query string exactly as sent (without the `?`), empty when there was none.
    public var rawQuery: String
    public var headers: HTTPServerHeaders
    public var body: Data

    public init(method: String, path: String, rawQuery: String = "", headers: HTTPServerHeaders = HTTPServerHeaders(), body: Data = Data()) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.query = QueryString.parse(rawQuery)
        self.headers = headers
        self.body = body
    }

    /// Splits a request target such as `/a/b?x=1` into path and raw query.
    public static func splitTarget(_ target: String) -> (path: String, rawQuery: String) {
        guard let mark = target.firstIndex(of: "?") else { return (target, "") }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }
}
