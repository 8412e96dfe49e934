import Foundation

/// A complete response; the server adds `Content-Length` (and `Connection: close` when closing).
public struct HTTPServerResponse: Sendable {
    public var status: Int
    public var headers: HTTPServerHeaders
    public var body: Data
    /// Fault injection: announce the whole body but send only this many bytes, then close.
    public var truncateAfter: Int? = nil

    public init(status: Int, headers: HTTPServerHeaders = HTTPServerHeaders(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response from already-encoded bytes.
    public static func json(status: Int = 200, data: Data) -> HTTPServerResponse {
        HTTPServerResponse(status: status, headers: HTTPServerHeaders([("Content-Type", "application/json; charset=utf-8")]), body: data)
    }

    /// A JSON response from any `Encodable` value.
    public static func json<T: Encodable>(status: Int = 200, encoding value: T) -> HTTPServerResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return json(status: status, data: (try? encoder.encode(value)) ?? Data("null".utf8))
    }

    public static func text(status: Int = 200, _ text: String) -> HTTPServerResponse {
        HTTPServerResponse(status: status, headers: HTTPServerHeaders([("Content-Type", "text/plain; charset=utf-8")]), body: Data(text.utf8))
    }

    public static func empty(status: Int = 204) -> HTTPServerResponse {
        HTTPServerResponse(status: status)
    }

    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 201: return "Created"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 413: return "Payload Too Large"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status \(status)"
        }
    }
}

/// What a handler returns: a response, or `nil` to drop the connection without answering
/// (fault injection: the client sees the connection close mid-request).
public typealias HTTPServerHandler = @Sendable (HTTPServerRequest) -> HTTPServerResponse?
