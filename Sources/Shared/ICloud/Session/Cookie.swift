import Foundation

/// One HTTP cookie, with the fields Python's `http.cookiejar.Cookie` keeps, so that an
/// icloudpd `LWPCookieJar` file round-trips byte for byte.
public struct Cookie: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String
    /// Lower-case domain. A leading dot means "this domain and its subdomains" (a `Domain=`
    /// attribute was given); without a dot it is the exact request host.
    public var domain: String
    public var path: String
    /// Expiry, whole seconds; nil for a session cookie.
    public var expires: Date?
    public var secure: Bool
    /// Cookie version (0 for Netscape-style `Set-Cookie`).
    public var version: Int
    public var port: String?
    /// A `Path=` attribute was given.
    public var pathSpecified: Bool
    public var portSpecified: Bool
    /// The `Domain=` attribute itself started with a dot.
    public var domainInitialDot: Bool
    /// Session cookie: to be dropped at the end of the session (icloudpd keeps them anyway).
    public var discard: Bool
    public var comment: String?
    public var commentURL: String?
    /// Non-standard attributes (`HttpOnly`, `SameSite`, …) as Python keeps them; a valueless
    /// attribute has value nil (written as `None`, like Python's `str(None)`).
    public var rest: [String: String?]

    public init(name: String, value: String, domain: String, path: String = "/", expires: Date? = nil,
                secure: Bool = false, httpOnly: Bool = false, version: Int = 0, port: String? = nil,
                pathSpecified: Bool = true, portSpecified: Bool = false, domainInitialDot: Bool? = nil,
                discard: Bool? = nil, comment: String? = nil, commentURL: String? = nil,
                rest: [String: String?] = [:]) {
        self.name = name
        self.value = value
        self.domain = domain
        self.path = path
        self.expires = expires.map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.down)) }
        self.secure = secure
        self.version = version
        self.port = port
        self.pathSpecified = pathSpecified
        self.portSpecified = portSpecified
        self.domainInitialDot = domainInitialDot ?? domain.hasPrefix(".")
        self.discard = discard ?? (expires == nil)
        self.comment = comment
        self.commentURL = commentURL
        self.rest = rest
        if httpOnly { self.httpOnly = true }
    }

    /// The `HttpOnly` flag (stored as a non-standard attribute, as Python does).
    public var httpOnly: Bool {
        get { rest.keys.contains { $0.lowercased() == "httponly" } }
        set {
            if newValue {
                if !httpOnly { rest["HttpOnly"] = .some(nil) }
            } else {
                for key in rest.keys where key.lowercased() == "httponly" { rest.removeValue(forKey: key) }
            }
        }
    }

    /// True when the domain attribute covers subdomains (leading dot).
    public var domainSpecified: Bool { domain.hasPrefix(".") }

    /// Expired at `now` (session cookies never expire).
    public func isExpired(at now: Date) -> Bool {
        guard let expires else { return false }
        return expires <= now
    }

    /// Whether this cookie should be sent with a request to `url` at `now`
    /// (the rules of Python's `DefaultCookiePolicy`: domain suffix, path prefix on a `/`
    /// boundary, Secure only over https/wss, not expired).
    public func matches(_ url: URL, now: Date = Date()) -> Bool {
        guard let host = url.host?.lowercased() else { return false }
        if isExpired(at: now) { return false }
        let scheme = url.scheme?.lowercased() ?? ""
        if secure && scheme != "https" && scheme != "wss" { return false }
        let erhn = "." + Cookie.effectiveHost(host)
        let dotDomain = domain.hasPrefix(".") ? domain : "." + domain
        guard erhn.hasSuffix(dotDomain) || ("." + host).hasSuffix(dotDomain) else { return false }
        let requestPath = url.path.isEmpty ? "/" : url.path
        if requestPath == path { return true }
        return requestPath.hasPrefix(path) && (path.hasSuffix("/") || requestPath.dropFirst(path.count).first == "/")
    }

    /// Python's "effective request host name": a host without a dot (and not an IPv4
    /// address) gets `.local` appended.
    static func effectiveHost(_ host: String) -> String {
        let lower = host.lowercased()
        if lower.contains(".") || lower.contains(":") { return lower }
        return lower + ".local"
    }
}
