import Foundation

/// Reading and writing the libwww-perl "Set-Cookie3" cookie file format exactly as Python's
/// `http.cookiejar.LWPCookieJar.save(ignore_discard=True, ignore_expires=True)` writes it
/// (the cookie jar file icloudpd keeps in its cookie directory):
///
///     #LWP-Cookies-2.0
///     Set-Cookie3: aasp=ABC; path="/"; domain=".apple.com"; path_spec; domain_dot; secure; discard; HttpOnly=None; version=0
///
/// Cookies are ordered by domain, then path, then name. A value that is not all word
/// characters is double-quoted with `"` and `\` backslash-escaped.
public enum LWPCookieFile {
    public static let magic = "#LWP-Cookies-2.0"
    public static let linePrefix = "Set-Cookie3:"

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case notLWPFormat
        case invalidLine(number: Int, reason: String)

        public var description: String {
            switch self {
            case .notLWPFormat: return "does not look like a Set-Cookie3 (LWP) format file"
            case let .invalidLine(n, reason): return "invalid Set-Cookie3 line \(n): \(reason)"
            }
        }
    }

    // MARK: writing

    /// The file text for `jar` (every cookie, expired and session ones included).
    public static func serialize(_ jar: CookieJar) -> String {
        var out = magic + "\n"
        let sorted = jar.cookies.sorted { a, b in
            if a.domain != b.domain { return codePointLess(a.domain, b.domain) }
            if a.path != b.path { return codePointLess(a.path, b.path) }
            return codePointLess(a.name, b.name)
        }
        for cookie in sorted {
            out += linePrefix + " " + line(for: cookie) + "\n"
        }
        return out
    }

    /// One cookie in Python's `lwp_cookie_str` form (without the `Set-Cookie3: ` prefix).
    public static func line(for c: Cookie) -> String {
        var pairs: [(String, String?)] = [(c.name, c.value), ("path", c.path), ("domain", c.domain)]
        if let port = c.port { pairs.append(("port", port)) }
        if c.pathSpecified { pairs.append(("path_spec", nil)) }
        if c.portSpecified { pairs.append(("port_spec", nil)) }
        if c.domainInitialDot { pairs.append(("domain_dot", nil)) }
        if c.secure { pairs.append(("secure", nil)) }
        if let expires = c.expires, expires.timeIntervalSince1970 != 0 {
            pairs.append(("expires", HTTPDate.isoz(expires)))
        }
        if c.discard { pairs.append(("discard", nil)) }
        if let comment = c.comment, !comment.isEmpty { pairs.append(("comment", comment)) }
        if let url = c.commentURL, !url.isEmpty { pairs.append(("commenturl", url)) }
        for key in c.rest.keys.sorted(by: codePointLess) {
            pairs.append((key, c.rest[key]!.map { $0 } ?? "None"))
        }
        pairs.append(("version", String(c.version)))
        return joinHeaderWords(pairs)
    }

    /// Python's `join_header_words` for one header.
    static func joinHeaderWords(_ pairs: [(String, String?)]) -> String {
        pairs.map { key, value -> String in
            guard var v = value else { return key }
            if !isWord(v) {
                v = v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                v = "\"" + v + "\""
            }
            return key + "=" + v
        }.joined(separator: "; ")
    }

    /// Python's `re.search(r"^\w+$", s)` for str patterns: non-empty, all Unicode word characters.
    static func isWord(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy(isWordScalar)
    }

    /// Python's Unicode `\w`: letters, digits/numerics and underscore.
    static func isWordScalar(_ u: Unicode.Scalar) -> Bool {
        if u == "_" { return true }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return u.properties.numericType != nil
        }
    }

    static func codePointLess(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    // MARK: reading

    /// Parses the file text (what `LWPCookieJar.load(ignore_discard=True, ignore_expires=True)`
    /// accepts). Lines other than `Set-Cookie3:` lines are skipped, as Python does.
    public static func parse(_ text: String) throws -> CookieJar {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        guard let first = lines.first, first.range(of: #"#LWP-Cookies-\d+\.\d+"#, options: .regularExpression) != nil else {
            throw ParseError.notLWPFormat
        }
        lines.removeFirst()
        var jar = CookieJar()
        for (offset, raw) in lines.enumerated() {
            guard raw.hasPrefix(linePrefix) else { continue }
            let body = raw.dropFirst(linePrefix.count).trimmingCharacters(in: .whitespacesAndNewlines)
            for words in splitHeaderWords(body) {
                jar.set(try cookie(from: words, lineNumber: offset + 2))
            }
        }
        return jar
    }

    private static func cookie(from words: [(String, String?)], lineNumber: Int) throws -> Cookie {
        guard let (name, value) = words.first else {
            throw ParseError.invalidLine(number: lineNumber, reason: "empty cookie")
        }
        let booleans: Set<String> = ["port_spec", "path_spec", "domain_dot", "secure", "discard"]
        let values: Set<String> = ["version", "port", "path", "domain", "expires", "comment", "commenturl"]
        var flags: [String: Bool] = [:]
        var standard: [String: String?] = [:]
        var rest: [String: String?] = [:]
        for (k, v) in words.dropFirst() {
            let lc = k.lowercased()
            if booleans.contains(lc) {
                flags[lc] = true
            } else if values.contains(lc) {
                standard[lc] = .some(v)
            } else {
                rest[k] = .some(v)
            }
        }
        guard case .some(.some(let domain)) = standard["domain"], !domain.isEmpty else {
            throw ParseError.invalidLine(number: lineNumber, reason: "cookie \(name) has no domain")
        }
        guard case .some(.some(let path)) = standard["path"] else {
            throw ParseError.invalidLine(number: lineNumber, reason: "cookie \(name) has no path")
        }
        var expires: Date?
        if case .some(.some(let e)) = standard["expires"] { expires = HTTPDate.parseISO(e) }
        var version = 0
        if case .some(.some(let v)) = standard["version"] {
            guard let n = Int(v) else {
                throw ParseError.invalidLine(number: lineNumber, reason: "cookie \(name) has version \(v)")
            }
            version = n
        }
        let port: String? = standard["port"] ?? nil
        return Cookie(name: name, value: value ?? "", domain: domain, path: path, expires: expires,
                      secure: flags["secure"] ?? false, version: version, port: port,
                      pathSpecified: flags["path_spec"] ?? false, portSpecified: flags["port_spec"] ?? false,
                      domainInitialDot: flags["domain_dot"] ?? false,
                      discard: (flags["discard"] ?? false) || expires == nil,
                      comment: standard["comment"] ?? nil, commentURL: standard["commenturl"] ?? nil,
                      rest: rest)
    }

    /// Python's `split_header_words` for one header value: a list of cookies, each a list of
    /// (name, value-or-nil) pairs.
    static func splitHeaderWords(_ text: String) -> [[(String, String?)]] {
        var result: [[(String, String?)]] = []
        var pairs: [(String, String?)] = []
        var s = Substring(text)
        func skipSpaces() { while let c = s.first, c.isWhitespace { s = s.dropFirst() } }
        while !s.isEmpty {
            let save = s
            skipSpaces()
            // token: [^=\s;,]+
            var token = ""
            while let c = s.first, c != "=", c != ";", c != ",", !c.isWhitespace {
                token.append(c)
                s = s.dropFirst()
            }
            if !token.isEmpty {
                var value: String?
                let afterToken = s
                skipSpaces()
                if s.first == "=" {
                    s = s.dropFirst()
                    skipSpaces()
                    if s.first == "\"", let (quoted, rest) = quotedString(s) {
                        value = quoted
                        s = rest
                    } else {
                        var v = ""
                        while let c = s.first, c != ";", c != ",", !c.isWhitespace {
                            v.append(c)
                            s = s.dropFirst()
                        }
                        value = v
                    }
                } else {
                    s = afterToken
                }
                pairs.append((token, value))
                continue
            }
            s = save
            skipSpaces()
            if s.first == "," {
                s = s.dropFirst()
                if !pairs.isEmpty { result.append(pairs) }
                pairs = []
            } else {
                // junk: [=\s;]*
                let before = s.count
                while let c = s.first, c == "=" || c == ";" || c.isWhitespace { s = s.dropFirst() }
                if s.count == before { s = s.dropFirst() }
            }
        }
        if !pairs.isEmpty { result.append(pairs) }
        return result
    }

    /// A complete `"..."` string with backslash escapes at the start of `s`.
    private static func quotedString(_ s: Substring) -> (String, Substring)? {
        var rest = s.dropFirst()
        var out = ""
        while let c = rest.first {
            rest = rest.dropFirst()
            if c == "\\" {
                guard let next = rest.first else { return nil }
                out.append(next)
                rest = rest.dropFirst()
            } else if c == "\"" {
                return (out, rest)
            } else {
                out.append(c)
            }
        }
        return nil
    }
}
