import Foundation

/// A complete response; the server adds `Content-Length` (and `Connection: close` when closing).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// Fault injection: announce the whole body but send only this many bytes, then close.
    public var truncateAfter: Int? = nil

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response from already-encoded bytes.
    public static func json(status: Int = 200, data: Data) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json; charset=utf-8")]), body: data)
    }

    /// A JSON response from a `SandboxJSON` value.
    public static func json(status: Int = 200, _ value: SandboxJSON) -> HTTPResponse {
        json(status: status, data: value.encoded())
    }

    /// A JSON response from any `Encodable` value.
    public static func json<T: Encodable>(status: Int = 200, encoding value: T) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return json(status: status, data: (try? encoder.encode(value)) ?? Data("null".utf8))
    }

    public static func text(status: Int = 200, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]), body: Data(text.utf8))
    }

    public static func empty(status: Int = 204) -> HTTPResponse {
        HTTPResponse(status: status)
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
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse?
