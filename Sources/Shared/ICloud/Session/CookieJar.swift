import Foundation

/// An in-memory cookie store with Python `http.cookiejar` semantics (what icloudpd uses):
/// takes `Set-Cookie` header values, gives the `Cookie` header for a URL, and keeps one
/// cookie per (domain, path, name), saved in icloudpd's LWP file format.
public struct CookieJar: Sendable, Equatable {
    /// Cookies in insertion order (a replaced cookie keeps its place).
    public private(set) var cookies: [Cookie]

    public init(cookies: [Cookie] = []) {
        self.cookies = []
        for cookie in cookies { set(cookie) }
    }

    public var isEmpty: Bool { cookies.isEmpty }

    /// Adds or replaces the cookie with the same domain, path and name.
    public mutating func set(_ cookie: Cookie) {
        if let i = cookies.firstIndex(where: { $0.domain == cookie.domain && $0.path == cookie.path && $0.name == cookie.name }) {
            cookies[i] = cookie
        } else {
            cookies.append(cookie)
        }
    }

    /// Removes the cookie with that domain, path and name, if present.
    public mutating func remove(domain: String, path: String, name: String) {
        cookies.removeAll { $0.domain == domain && $0.path == path && $0.name == name }
    }

    public mutating func removeAll() { cookies.removeAll() }

    /// The first cookie named `name` (any domain/path).
    public func cookie(named name: String) -> Cookie? { cookies.first { $0.name == name } }

    /// Cookies to send to `url`, longest path first.
    public func cookies(for url: URL, now: Date = Date()) -> [Cookie] {
        let matching = cookies.filter { $0.matches(url, now: now) }
        // Stable sort by path length, descending.
        return matching.enumerated().sorted { lhs, rhs in
            lhs.element.path.count != rhs.element.path.count
                ? lhs.element.path.count > rhs.element.path.count : lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// The `Cookie` request header value for `url`, or nil when no cookie applies.
    public func cookieHeader(for url: URL, now: Date = Date()) -> String? {
        let list = cookies(for: url, now: now)
        guard !list.isEmpty else { return nil }
        return list.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")
    }

    /// Applies the `Set-Cookie` header values of a response from `url`. Each element is one
    /// header value; a comma-folded value (as Foundation joins repeated headers) is split.
    /// A cookie whose expiry is not in the future deletes the stored one.
    public mutating func setCookies(fromHeaders values: [String], for url: URL, now: Date = Date()) {
        for value in values {
            for single in CookieJar.splitFolded(value) {
                apply(single, for: url, now: now)
            }
        }
    }

    /// Applies all `Set-Cookie` headers found (case-insensitively) in a header dictionary.
    public mutating func setCookies(fromResponseHeaders headers: [String: String], for url: URL, now: Date = Date()) {
        let values = headers.filter { $0.key.lowercased() == "set-cookie" }.map(\.value)
        setCookies(fromHeaders: values, for: url, now: now)
    }

    /// Splits a comma-folded `Set-Cookie` value into single cookies. A comma ends a cookie
    /// unless it sits inside an `Expires=` date or a quoted string.
    public static func splitFolded(_ header: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuotes = false
        let chars = Array(header)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "\"" { inQuotes.toggle() }
            if c == ",", !inQuotes {
                let attr = current.split(separator: ";").last.map(String.init) ?? current
                let trimmed = attr.trimmingCharacters(in: .whitespaces).lowercased()
                let inExpires = trimmed.hasPrefix("expires=") &&
                    trimmed.dropFirst("expires=".count).allSatisfy { $0.isLetter }
                if !inExpires {
                    parts.append(current)
                    current = ""
                    i += 1
                    continue
                }
            }
            current.append(c)
            i += 1
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private mutating func apply(_ header: String, for url: URL, now: Date) {
        guard let host = url.host?.lowercased() else { return }
        let erhn = Cookie.effectiveHost(host)
        let nowSeconds = now.timeIntervalSince1970.rounded(.down)

        // Python's parse_ns_headers + _normalized_cookie_tuples, for one header.
        var name = "", value = ""
        var domainAttr: String?, pathAttr: String?, portAttr: String?? = nil
        var expires: Date?? = nil          // .some(nil) = invalid/absent value
        var maxAgeExpires: Date?
        var secure = false, version = 0
        var comment: String?, commentURL: String?
        var rest: [String: String?] = [:]
        var seen = Set<String>()
        for (index, rawParam) in header.split(separator: ";", omittingEmptySubsequences: false).enumerated() {
            let param = rawParam.trimmingCharacters(in: .whitespaces)
            let key: String, val: String?
            if let eq = param.firstIndex(of: "=") {
                key = param[..<eq].trimmingCharacters(in: .whitespaces)
                val = param[param.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            } else {
                key = param
                val = nil
            }
            if key.isEmpty {
                if index == 0 { return }
                continue
            }
            if index == 0 {
                name = key
                value = val ?? ""
                continue
            }
            let lc = key.lowercased()
            let standard = ["expires", "domain", "path", "secure", "version", "port", "max-age",
                            "discard", "comment", "commenturl"]
            let k = standard.contains(lc) ? lc : key
            if seen.contains(k) { continue }
            seen.insert(k)
            switch k {
            case "secure": secure = true
            case "discard": break
            case "domain":
                guard let val else { return }
                domainAttr = val.lowercased()
            case "path":
                guard let val else { return }
                pathAttr = val
            case "expires":
                if maxAgeExpires != nil { continue }
                expires = .some(val.flatMap { HTTPDate.parse(stripQuotes($0)) })
                if case .some(.none) = expires { seen.remove(k); expires = nil }
            case "max-age":
                guard let val, let seconds = Int(val) else { return }
                maxAgeExpires = Date(timeIntervalSince1970: nowSeconds + Double(seconds))
            case "version":
                guard let val else { return }
                version = Int(stripQuotes(val)) ?? 0
            case "port": portAttr = .some(val)
            case "comment": comment = val
            case "commenturl": commentURL = val
            default: rest[k] = .some(val)
            }
        }
        let expiry: Date? = maxAgeExpires ?? (expires ?? nil)

        // Domain: default is the effective request host; a given one gets a leading dot.
        let domain: String
        var initialDot = false
        if let d = domainAttr {
            initialDot = d.hasPrefix(".")
            domain = initialDot ? d : "." + d
            let undotted = String(domain.dropFirst())
            if !undotted.contains(".") && !erhn.hasSuffix(".local") { return }
            if !("." + erhn).hasSuffix(domain) { return }
        } else {
            domain = erhn
        }

        // Path: default is the request path up to (not including) the last slash.
        let path: String, pathSpecified: Bool
        if let p = pathAttr, !p.isEmpty {
            path = p
            pathSpecified = true
        } else {
            var reqPath = url.path.isEmpty ? "/" : url.path
            if let slash = reqPath.lastIndex(of: "/") { reqPath = String(reqPath[..<slash]) }
            path = reqPath.isEmpty ? "/" : reqPath
            pathSpecified = false
        }

        if let expiry, expiry.timeIntervalSince1970 <= nowSeconds {
            remove(domain: domain, path: path, name: name)
            return
        }
        var port: String?
        var portSpecified = false
        if case .some(let p) = portAttr {
            portSpecified = true
            port = p ?? url.port.map(String.init) ?? (url.scheme == "https" ? "443" : "80")
        }
        set(Cookie(name: name, value: value, domain: domain, path: path, expires: expiry, secure: secure,
                   version: version, port: port, pathSpecified: pathSpecified, portSpecified: portSpecified,
                   domainInitialDot: initialDot, discard: expiry == nil, comment: comment,
                   commentURL: commentURL, rest: rest))
    }

    private func stripQuotes(_ s: String) -> String {
        var t = Substring(s)
        if t.hasPrefix("\"") { t = t.dropFirst() }
        if t.hasSuffix("\"") { t = t.dropLast() }
        return String(t)
    }
}
