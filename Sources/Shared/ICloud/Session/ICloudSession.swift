import Foundation

/// One Apple ID's HTTP conversation with iCloud. Every request carries the session's default
/// headers and the cookies that match; every answer's cookies and session headers are captured
/// and both session files are written back (as icloudpd does), so an interrupted sign-in
/// keeps what it had.
public actor ICloudSession {
    public let endpoints: AuthEndpoints
    public let store: SessionStore
    private let client: HTTPClient
    public private(set) var state: SessionState
    public private(set) var cookies: CookieJar

    /// Loads the session and cookie files (missing files = a fresh session). A damaged file
    /// is an error: guessing would lose the trust token and cost the user a 2FA prompt.
    public init(store: SessionStore, endpoints: AuthEndpoints, client: HTTPClient,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(SignInError) {
        self.store = store
        self.endpoints = endpoints
        self.client = client
        do {
            state = try store.loadSession() ?? SessionState()
            cookies = try store.loadCookies() ?? CookieJar()
        } catch SessionStoreError.corruptSessionFile(let path, _) {
            throw .corruptSessionFiles(path: path)
        } catch SessionStoreError.corruptCookieJar(let path, _) {
            throw .corruptSessionFiles(path: path)
        } catch {
            throw .fileSystem("\(error)")
        }
        // A stored client id always wins (icloudpd), then CLIENT_ID, then a new one.
        if state.clientID == nil { state.clientID = environment["CLIENT_ID"] ?? AuthEndpoints.newClientID() }
        for secret in [state.sessionToken, state.trustToken, state.scnt, state.sessionID].compactMap({ $0 }) {
            Log.shared.redact(secret)
        }
    }

    public var clientID: String { state.clientID ?? "" }

    /// Forgets the session token (after `validate` failed), keeping the trust token.
    public func dropSessionToken() { state.sessionToken = nil }

    /// icloudpd's idmsa auth headers (docs/references.md#icloudpd-sign-in) from the current state.
    public func authHeaders(_ call: SignInMessages.AuthCall = .other, accept: String = "application/json, text/javascript")
        -> [(name: String, value: String)] {
        SignInMessages.authHeaders(endpoints: endpoints, session: state, clientID: clientID, call: call, accept: accept)
    }

    /// Sends one request; 30x answers are followed by hand so their cookies are kept. A
    /// retry happens only where it can help (`retry`: connection errors, 429, 5xx).
    public func send(_ method: String, _ urlString: String, headers: [(name: String, value: String)] = [],
                     body: Data? = nil, retry: HTTPRequest.Retry = .always) async throws(SignInError) -> HTTPResponse {
        guard var url = URL(string: urlString) else { throw .unexpected("bad URL \(urlString)") }
        var method = method
        var body = body
        for _ in 0..<5 {
            var all: [String: String] = [:]
            for (name, value) in endpoints.sessionDefaultHeaders { all[name] = value }
            for (name, value) in headers {
                for key in all.keys where key.lowercased() == name.lowercased() { all[key] = nil }
                all[name] = value
            }
            if let cookie = cookies.cookieHeader(for: url) { all["Cookie"] = cookie }
            let request = HTTPRequest(method: method, url: url, headers: all, body: body, retry: retry,
                                      timeout: AuthEndpoints.requestTimeout)
            let response: HTTPResponse
            do { response = try await client.send(request) } catch {
                throw .network(error.reason)
            }
            Log.debug("\(method) \(HTTPError.redactedURL(url)) → \(response.status)")
            capture(response, from: url)
            try save()
            guard [301, 302, 303, 307, 308].contains(response.status), let location = response.header("location"),
                  let next = URL(string: location, relativeTo: url)?.absoluteURL else { return response }
            if response.status == 303 || ((response.status == 301 || response.status == 302) && method == "POST") {
                method = "GET"
                body = nil
            }
            url = next
        }
        throw .unexpected("too many redirects at \(HTTPError.redactedURL(url))")
    }

    private func capture(_ response: HTTPResponse, from url: URL) {
        cookies.setCookies(fromResponseHeaders: response.headers, for: url)
        state.capture(responseHeaders: response.headers)
        for key in ["session_token", "trust_token", "scnt", "session_id"] {
            if let secret = state[key] { Log.shared.redact(secret) }
        }
        for cookie in cookies.cookies where cookie.value.count >= 8 { Log.shared.redact(cookie.value) }
    }

    private func save() throws(SignInError) {
        do {
            try store.saveSession(state)
            try store.saveCookies(cookies)
        } catch {
            throw .fileSystem("\(error)")
        }
    }
}
