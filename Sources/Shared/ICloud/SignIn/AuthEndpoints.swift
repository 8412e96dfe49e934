import Foundation

/// Apple's sign-in endpoints and fixed values (icloudpd 1.32.x; docs/references.md#icloudpd-sign-in).
public struct AuthEndpoints: Sendable, Equatable {
    public enum Domain: String, Sendable, CaseIterable { case com, cn }

    public let domain: Domain
    public let authRoot: String
    public let auth: String
    public let home: String
    public let setup: String

    public init(domain: Domain) {
        self.domain = domain
        let suffix = domain == .cn ? ".com.cn" : ".com"
        authRoot = "https://idmsa.apple\(suffix)"
        auth = authRoot + "/appleauth/auth"
        home = "https://www.icloud\(suffix)"
        setup = "https://setup.icloud\(suffix)/setup/ws/1"
    }

    public init(domain: Domain, authRoot: String, auth: String, home: String, setup: String) {
        self.domain = domain
        self.authRoot = authRoot
        self.auth = auth
        self.home = home
        self.setup = setup
    }

    /// Testing aids: environment variables that point the four bases elsewhere (a fake iCloud).
    public static let overrideVariables = (authRoot: "ICLOUDPD_AUTH_ROOT_ENDPOINT", auth: "ICLOUDPD_AUTH_ENDPOINT",
                                           home: "ICLOUDPD_HOME_ENDPOINT", setup: "ICLOUDPD_SETUP_ENDPOINT")

    /// The domain's endpoints with any `ICLOUDPD_*_ENDPOINT` override applied (trailing `/` dropped).
    public init(domain: Domain, environment: [String: String]) {
        let base = AuthEndpoints(domain: domain)
        func pick(_ name: String, _ fallback: String) -> String {
            guard var value = environment[name], !value.isEmpty else { return fallback }
            while value.hasSuffix("/") { value.removeLast() }
            return value
        }
        let vars = AuthEndpoints.overrideVariables
        self.init(domain: domain, authRoot: pick(vars.authRoot, base.authRoot), auth: pick(vars.auth, base.auth),
                  home: pick(vars.home, base.home), setup: pick(vars.setup, base.setup))
    }

    /// Widget key, also the OAuth client id.
    public static let widgetKey = "d39ba9916b7251055b22c7f910e2ea796ee65e98b2ddecea8f5dde8d9d1a815d"
    public static let clientBuildNumber = "2522Project44"
    public static let clientMasteringNumber = "2522B2"
    public static let userAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36"
    public static let requestTimeout: TimeInterval = 30

    public var signinInitURL: String { auth + "/signin/init" }
    public var signinCompleteURL: String { auth + "/signin/complete?isRememberMeEnabled=true" }
    public var repairCompleteURL: String { auth + "/repair/complete" }
    public var trustedDeviceCodeURL: String { auth + "/verify/trusteddevice/securitycode" }
    public var trustURL: String { auth + "/2sv/trust" }
    public var phoneCodeSendURL: String { auth + "/verify/phone" }
    public var phoneCodeURL: String { auth + "/verify/phone/securitycode" }
    public var validateURL: String { setup + "/validate" }
    public var accountLoginURL: String { setup + "/accountLogin" }

    /// Headers every request of the session carries (besides the HTTP library's own).
    public var sessionDefaultHeaders: [(String, String)] {
        [("Origin", home), ("Referer", home + "/"), ("User-Agent", AuthEndpoints.userAgent)]
    }

    /// A new OAuth state / client id: `auth-` + lower-case UUID (icloudpd uses a UUID1).
    public static func newClientID() -> String { "auth-" + UUID().uuidString.lowercased() }
}
