import Foundation

/// The reply of `accountLogin` and `validate`: who is signed in, whether Apple still wants a
/// two-factor code, and the service URLs everything after sign-in follows.
public struct AccountData: Sendable {
    public let json: JSON

    public init(json: JSON) { self.json = json }

    public init(body: Data) throws(JSONParseError) {
        json = try JSON.parse(Array(body))
    }

    var dsInfo: JSON? { json["dsInfo"] }
    public var dsid: String? {
        guard let value = dsInfo?["dsid"] else { return nil }
        if let s = value.stringValue { return s }
        if case .number(let n) = value { return n }
        return nil
    }
    public var hsaVersion: Int { dsInfo?["hsaVersion"]?.intValue ?? 0 }
    public var hsaChallengeRequired: Bool { json["hsaChallengeRequired"]?.boolValue ?? false }
    public var hsaTrustedBrowser: Bool { json["hsaTrustedBrowser"]?.boolValue ?? false }
    public var hasICloudQualifyingDevice: Bool { dsInfo?["hasICloudQualifyingDevice"]?.boolValue ?? false }
    public var domainToUse: String? { json["domainToUse"]?.stringValue }

    /// icloudpd's `requires_2fa`.
    public var requiresTwoFactor: Bool {
        hsaVersion == 2 && (hsaChallengeRequired || !hsaTrustedBrowser) && hasICloudQualifyingDevice
    }

    /// `webservices.<name>.url`, e.g. `ckdatabasews`.
    public func webserviceURL(_ name: String) -> String? { json["webservices"]?[name]?["url"]?.stringValue }
}
