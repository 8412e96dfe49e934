#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
@testable import Shared

func makeTempDir() throws -> String {
    let path = NSTemporaryDirectory() + "sharedtests-" + (try Crypto.randomBytes(count: 6)).hexString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}

func fileMode(_ path: String) -> mode_t {
    var st = stat()
    #expect(stat(path, &st) == 0)
    return st.st_mode & 0o7777
}

@Suite struct SessionFileTests {
    static let golden = #"{"client_id": "auth-c3f4c2ac-ebb2-11f1-98d8-02fc00000001", "scnt": "AAAA-abc", "account_country": "USA", "session_id": "sess-1", "session_token": "tok/+=", "trust_eligible": "true"}"#

    @Test func baseNameRule() {
        #expect(SessionStore.baseName(for: "jdoe@gmail.com") == "jdoegmailcom")
        #expect(SessionStore.baseName(for: "u@example.com") == "uexamplecom")
        #expect(SessionStore.baseName(for: "Jane.Doe+x_1@iCloud.com") == "janedoex_1icloudcom")
        #expect(SessionStore.baseName(for: "Jérôme@exämple.de") == "jérômeexämplede")
    }

    @Test func goldenSessionBuiltLikeIcloudpd() {
        var state = SessionState()
        state.clientID = "auth-c3f4c2ac-ebb2-11f1-98d8-02fc00000001"
        state.capture(responseHeaders: ["scnt": "AAAA-abc", "Content-Type": "application/json"])
        state.capture(responseHeaders: [
            "x-apple-id-account-country": "USA", "X-Apple-ID-Session-Id": "sess-1",
            "X-Apple-Session-Token": "tok/+=", "X-Apple-TwoSV-Trust-Eligible": "true",
            "scnt": "AAAA-abc", "X-Apple-I-Rscd": "",
        ])
        #expect(String(decoding: state.jsonData(), as: UTF8.self) == Self.golden)
        #expect(state.sessionToken == "tok/+=")
        #expect(state.trustToken == nil)
    }

    @Test func sessionParsesAndReserializesByteForByte() throws {
        let state = try SessionState(json: Data(Self.golden.utf8))
        #expect(state.scnt == "AAAA-abc" && state.accountCountry == "USA" && state.sessionID == "sess-1")
        #expect(String(decoding: state.jsonData(), as: UTF8.self) == Self.golden)
        // Unknown keys, non-string values, escapes and non-ASCII survive.
        let odd = #"{"a": null, "b": [1, 2.5e3, true], "c": {"d": "\u00e9\"\\\n\ud83d\ude00/"}, "trust_token": "x"}"#
        let parsed = try SessionState(json: Data(odd.utf8))
        #expect(String(decoding: parsed.jsonData(), as: UTF8.self) == odd)
        #expect(parsed.trustToken == "x")
    }

    @Test func pythonStringEscaping() {
        var out = ""
        JSON.writePythonString("é☃😀\u{7f}\u{1}/\t", to: &out)
        #expect(out == #""\u00e9\u2603\ud83d\ude00\u007f\u0001/\t""#)
    }

    @Test func storeRoundTripAndModes() throws {
        let root = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = SessionStore(directory: root + "/cookies", username: "Jdoe@Gmail.com")
        #expect(store.cookieJarPath == root + "/cookies/jdoegmailcom")
        #expect(store.sessionPath == root + "/cookies/jdoegmailcom.session")
        #expect(try store.loadSession() == nil)
        #expect(try store.loadCookies() == nil)

        let state = try SessionState(json: Data(Self.golden.utf8))
        try store.saveSession(state)
        #expect(fileMode(root + "/cookies") == 0o700)
        #expect(fileMode(store.sessionPath) == 0o600)
        #expect(try String(contentsOfFile: store.sessionPath, encoding: .utf8) == Self.golden)
        #expect(try store.loadSession() == state)

        let jar = try LWPCookieFile.parse(CookieFileTests.golden)
        try store.saveCookies(jar)
        #expect(fileMode(store.cookieJarPath) == 0o600)
        #expect(try String(contentsOfFile: store.cookieJarPath, encoding: .utf8) == CookieFileTests.golden)
        #expect(try store.loadCookies() == jar)
        // No temp files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/cookies").sorted()
                == ["jdoegmailcom", "jdoegmailcom.session"])
    }

    @Test func corruptFilesGiveTypedErrors() throws {
        let root = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = SessionStore(directory: root, username: "u@example.com")
        try Data("{\"scnt\": ".utf8).write(to: URL(fileURLWithPath: store.sessionPath))
        #expect {
            try store.loadSession()
        } throws: { error in
            guard case SessionStoreError.corruptSessionFile(let path, _) = error else { return false }
            return path == store.sessionPath
        }
        try Data("[1, 2]".utf8).write(to: URL(fileURLWithPath: store.sessionPath))
        #expect(throws: SessionStoreError.self) { try store.loadSession() }

        try Data("# Netscape HTTP Cookie File\n".utf8).write(to: URL(fileURLWithPath: store.cookieJarPath))
        #expect {
            try store.loadCookies()
        } throws: { error in
            guard case SessionStoreError.corruptCookieJar(let path, _) = error else { return false }
            return path == store.cookieJarPath
        }
        try Data("#LWP-Cookies-2.0\nSet-Cookie3: a=b; path=\"/\"; version=0\n".utf8)
            .write(to: URL(fileURLWithPath: store.cookieJarPath))
        #expect(throws: SessionStoreError.self) { try store.loadCookies() }
        try Data([0xff, 0xfe, 0x00]).write(to: URL(fileURLWithPath: store.cookieJarPath))
        #expect(throws: SessionStoreError.self) { try store.loadCookies() }
    }

    @Test func atomicFileReplacesAndKeepsMode() throws {
        let root = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/f"
        try AtomicFile.write(Data("one".utf8), to: path, mode: 0o600)
        try AtomicFile.write(Data("two".utf8), to: path, mode: 0o640)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect(fileMode(path) == 0o640)
        try AtomicFile.write(Data(), to: path, mode: 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        #expect(fileMode(path) == 0o600)
        #expect(throws: FileSystemError.self) { try AtomicFile.write(Data(), to: root + "/missing/f", mode: 0o600) }
        try AtomicFile.makeDirectory(root + "/d", mode: 0o700)
        try AtomicFile.makeDirectory(root + "/d", mode: 0o700)
        #expect(fileMode(root + "/d") == 0o700)
        #expect(throws: FileSystemError.self) { try AtomicFile.makeDirectory(root + "/x/y") }
        #expect(try AtomicFile.read(root + "/nope") == nil)
    }
}

@Suite struct CookieFileTests {
    /// What icloudpd's LWPCookieJar writes after these responses (constructed from Python's
    /// http.cookiejar rules): sorted by domain/path/name, quoted non-word values.
    static let golden = """
    #LWP-Cookies-2.0
    Set-Cookie3: aasp=DAA5DA; path="/"; domain=".apple.com"; path_spec; secure; discard; HttpOnly=None; version=0
    Set-Cookie3: X-APPLE-WEBAUTH-USER="\\"v=1:s=0:d=12345\\""; path="/"; domain=".icloud.com"; path_spec; domain_dot; secure; expires="2031-01-01 00:00:00Z"; HttpOnly=None; version=0
    Set-Cookie3: site=GBR; path="/setup/ws/1"; domain="setup.icloud.com"; discard; version=0

    """

    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    static func jarFromResponses() -> CookieJar {
        var jar = CookieJar()
        jar.setCookies(fromHeaders: [
            "X-APPLE-WEBAUTH-USER=\"v=1:s=0:d=12345\"; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Path=/; Domain=.icloud.com; Secure; HttpOnly",
            "site=GBR",
        ], for: URL(string: "https://setup.icloud.com/setup/ws/1/accountLogin")!, now: now)
        jar.setCookies(fromHeaders: ["aasp=DAA5DA; Domain=apple.com; Path=/; Secure; HttpOnly"],
                       for: URL(string: "https://idmsa.apple.com/appleauth/auth/signin/init")!, now: now)
        return jar
    }

    @Test func goldenFromSetCookie() {
        #expect(LWPCookieFile.serialize(Self.jarFromResponses()) == Self.golden)
    }

    @Test func goldenRoundTrip() throws {
        let jar = try LWPCookieFile.parse(Self.golden)
        #expect(jar.cookies.count == 3)
        let user = try #require(jar.cookie(named: "X-APPLE-WEBAUTH-USER"))
        #expect(user.value == "\"v=1:s=0:d=12345\"")
        #expect(user.domain == ".icloud.com" && user.secure && user.httpOnly && !user.discard)
        #expect(user.expires == Date(timeIntervalSince1970: 1_924_992_000))
        let site = try #require(jar.cookie(named: "site"))
        #expect(site.discard && !site.pathSpecified && site.expires == nil)
        #expect(LWPCookieFile.serialize(jar) == Self.golden)
        #expect(LWPCookieFile.serialize(jar) == LWPCookieFile.serialize(Self.jarFromResponses()))
    }

    @Test func emptyJarAndSkippedLines() throws {
        #expect(LWPCookieFile.serialize(CookieJar()) == "#LWP-Cookies-2.0\n")
        let jar = try LWPCookieFile.parse("#LWP-Cookies-2.0\n# comment\n\nSet-Cookie3: a=1; path=\"/\"; domain=\".x.com\"; version=0\n")
        #expect(jar.cookies.count == 1 && jar.cookies[0].value == "1")
        #expect(throws: LWPCookieFile.ParseError.notLWPFormat) { try LWPCookieFile.parse("") }
    }

    @Test func cookieMatching() {
        let jar = Self.jarFromResponses()
        let idmsa = URL(string: "https://idmsa.apple.com/appleauth/auth/signin/complete")!
        #expect(jar.cookieHeader(for: idmsa, now: Self.now) == "aasp=DAA5DA")
        #expect(jar.cookieHeader(for: URL(string: "http://idmsa.apple.com/")!, now: Self.now) == nil)
        #expect(jar.cookieHeader(for: URL(string: "https://apple.com/")!, now: Self.now) == "aasp=DAA5DA")
        #expect(jar.cookieHeader(for: URL(string: "https://notapple.com/")!, now: Self.now) == nil)
        let setup = URL(string: "https://setup.icloud.com/setup/ws/1/validate")!
        #expect(jar.cookieHeader(for: setup, now: Self.now) == "site=GBR; X-APPLE-WEBAUTH-USER=\"v=1:s=0:d=12345\"")
        #expect(jar.cookieHeader(for: URL(string: "https://setup.icloud.com/setup/ws/10")!, now: Self.now)
                == "X-APPLE-WEBAUTH-USER=\"v=1:s=0:d=12345\"")
        #expect(jar.cookieHeader(for: URL(string: "https://p01-ckdatabasews.icloud.com/x")!, now: Self.now)
                == "X-APPLE-WEBAUTH-USER=\"v=1:s=0:d=12345\"")
        // Expired cookies are kept in the jar but not sent.
        let later = Date(timeIntervalSince1970: 2_000_000_000)
        #expect(jar.cookieHeader(for: URL(string: "https://www.icloud.com/")!, now: later) == nil)
    }

    @Test func setCookieDeletionMaxAgeAndFolding() {
        var jar = Self.jarFromResponses()
        let url = URL(string: "https://www.icloud.com/")!
        jar.setCookies(fromHeaders: ["X-APPLE-WEBAUTH-USER=\"\"; Expires=Thu, 01-Jan-1970 00:00:01 GMT; Path=/; Domain=.icloud.com"],
                       for: url, now: Self.now)
        #expect(jar.cookie(named: "X-APPLE-WEBAUTH-USER") == nil)
        jar.setCookies(fromHeaders: ["a=1; Max-Age=60; Path=/; Domain=icloud.com, b=2; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Path=/"],
                       for: url, now: Self.now)
        #expect(jar.cookie(named: "a")?.expires == Self.now.addingTimeInterval(60))
        #expect(jar.cookie(named: "b")?.domain == "www.icloud.com")
        #expect(jar.cookie(named: "b")?.expires == Date(timeIntervalSince1970: 1_924_992_000))
        // A Domain the host does not belong to is rejected.
        jar.setCookies(fromHeaders: ["evil=1; Domain=apple.com"], for: url, now: Self.now)
        #expect(jar.cookie(named: "evil") == nil)
        // Replacement keeps one cookie per (domain, path, name).
        jar.setCookies(fromHeaders: ["a=3; Path=/; Domain=icloud.com"], for: url, now: Self.now)
        #expect(jar.cookies.filter { $0.name == "a" }.count == 1)
        #expect(jar.cookie(named: "a")?.value == "3")
    }

    @Test func splitFoldedHeader() {
        #expect(CookieJar.splitFolded("a=1; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Path=/, b=\"x,y\", c=3")
                == ["a=1; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Path=/", "b=\"x,y\"", "c=3"])
    }

    @Test func httpDates() {
        let expected = Date(timeIntervalSince1970: 1_924_992_000)
        #expect(HTTPDate.parse("Wed, 01 Jan 2031 00:00:00 GMT") == expected)
        #expect(HTTPDate.parse("Wednesday, 01-Jan-31 00:00:00 GMT") == expected)
        #expect(HTTPDate.parse("Wed Jan  1 00:00:00 2031") == expected)
        #expect(HTTPDate.parse("garbage") == nil)
        #expect(HTTPDate.isoz(expected) == "2031-01-01 00:00:00Z")
        #expect(HTTPDate.parseISO("2031-01-01 00:00:00Z") == expected)
    }

    @Test func headerWordSplitting() {
        let words = LWPCookieFile.splitHeaderWords(#"n="a\"b"; flag; k=v ; e=, m=2"#)
        #expect(words.count == 2)
        #expect(words[0].map(\.0) == ["n", "flag", "k", "e"])
        #expect(words[0][0].1 == "a\"b" && words[0][1].1 == nil && words[0][2].1 == "v" && words[0][3].1 == "")
        #expect(words[1][0].0 == "m" && words[1][0].1 == "2")
    }
}
