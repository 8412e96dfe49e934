import Foundation

/// Apple's sign-in endpoints and fixed values (icloudpd 1.32.x; reference §3.1).
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
    public var validateURL: String { setup + "/validate" }
    public var accountLoginURL: String { setup + "/accountLogin" }

    /// Headers every request of the session carries (besides the HTTP library's own).
    public var sessionDefaultHeaders: [(String, String)] {
        [("Origin", home), ("Referer", home + "/"), ("User-Agent", AuthEndpoints.userAgent)]
    }

    /// A new OAuth state / client id: `auth-` + lower-case UUID (icloudpd uses a UUID1).
    public static func newClientID() -> String { "auth-" + UUID().uuidString.lowercased() }
}
