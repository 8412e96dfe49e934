import Foundation

/// Talks to one Immich server with one API key. Base URLs are accepted with or without a
/// trailing `/` or `/api`. The key travels only in the `x-api-key` header and is never logged.
public final class ImmichClient: Sendable {
    public let baseURL: URL
    private let apiKey: String
    private let http: HTTPClient
    /// Set by `connect()`.
    public let version: ImmichVersion
    /// What the version offers (`ImmichCapabilities.table`); every version-dependent request asks this.
    public let capabilities: ImmichCapabilities

    public static func normalize(serverURL: String) throws(ToolError) -> URL {
        var text = serverURL.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/api") { text.removeLast(4) }
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text + "/api"), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw ToolError.usage("invalid Immich server URL '\(serverURL)' (expected e.g. http://localhost:2283)")
        }
        return url
    }

    public init(baseURL: URL, apiKey: String, http: HTTPClient, version: ImmichVersion) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.http = http
        self.version = version
        self.capabilities = ImmichCapabilities.of(version) ?? ImmichCapabilities.table[0].capabilities
        Log.shared.redact(apiKey)
    }

    /// Checks the server answers and reads its version (no key needed for this).
    public static func connect(serverURL: String, apiKey: String, http: HTTPClient = HTTPClient()) async throws(ToolError) -> ImmichClient {
        let base = try normalize(serverURL: serverURL)
        guard !apiKey.isEmpty else {
            throw ToolError.usage("no Immich API key: give --api-key or set IMMICH_API_KEY")
        }
        let probe = ImmichClient(baseURL: base, apiKey: apiKey, http: http, version: ImmichVersion(0, 0))
        let reply: JSON
        do {
            reply = try await probe.call("GET", "/server/version")
        } catch let error as ImmichAPIError where error.status == 404 {
            throw ToolError.runtime("\(HTTPError.redactedURL(base)) does not look like an Immich server (GET /api/server/version answered 404)")
        } catch {
            throw probe.toolError(error, doing: "reach Immich")
        }
        guard let major = reply["major"]?.intValue, let minor = reply["minor"]?.intValue else {
            throw ToolError.runtime("unexpected answer to GET /api/server/version: \(reply.serialized.prefix(200))")
        }
        let version = ImmichVersion(major, minor, reply["patch"]?.intValue ?? 0)
        return ImmichClient(baseURL: base, apiKey: apiKey, http: http, version: version)
    }

    /// Sends one request and returns the parsed body (`null` for empty bodies). Non-2xx answers
    /// throw `ImmichAPIError`; network failures (after retries) throw `HTTPError`.
    @discardableResult
    public func call(_ method: String, _ path: String, body: JSON? = nil, query: [(String, String)] = [], retry: HTTPRequest.Retry = .always) async throws -> JSON {
        let response = try await raw(method, path, body: body, query: query, retry: retry)
        guard !response.body.isEmpty else { return .null }
        do {
            return try JSON.parse(Array(response.body))
        } catch {
            throw ToolError.runtime("\(method) /api\(path): the answer is not JSON (\(error))")
        }
    }

    public func raw(_ method: String, _ path: String, body: JSON? = nil, query: [(String, String)] = [], retry: HTTPRequest.Retry = .always) async throws -> HTTPResponse {
        var components = URLComponents(url: baseURL.appendingPathComponent(String(path.dropFirst())), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        let request = HTTPRequest(
            method: method, url: components.url!,
            headers: ["x-api-key": apiKey, "Accept": "application/json"],
            body: body.map { Data($0.serializedBytes) }, retry: retry)
        let response = try await http.send(request)
        guard response.isSuccess else { throw ImmichAPIError(method: method, path: "/api" + path, response: response, shape: capabilities.errors) }
        return response
    }

    /// What a step writes in a record's error when a request failed.
    public func describe(_ error: Error) -> String { toolError(error, doing: "talk to Immich").message }

    /// One sentence for the user, with the exit code the failure deserves.
    public func toolError(_ error: Error, doing action: String) -> ToolError {
        switch error {
        case let error as ToolError: return error
        case let error as HTTPError:
            if case .tls = error {
                return ToolError.runtime("cannot \(action): \(error); if a private CA signed it, pass that CA's certificate with --ca-file PATH (or IMMICH_CA_FILE)")
            }
            return ToolError(.runtime, "cannot \(action): \(error) (is the server running, and is --server-url right?)", transient: true)
        case let error as ImmichAPIError where error.status == 401:
            return ToolError(.authentication, "Immich rejected the API key (\(error.message)); create one under Account Settings → API Keys and pass it with --api-key or IMMICH_API_KEY")
        case let error as ImmichAPIError where error.status == 403:
            return ToolError(.authentication, "the API key may not \(action) (\(error.message)); library operations need an admin user's key with the 'all' permission")
        case let error as ImmichAPIError:
            return ToolError(.runtime, "cannot \(action): \(error)", transient: error.status >= 500 || error.status == 429)
        default:
            return ToolError.runtime("cannot \(action): \(error)")
        }
    }
}
