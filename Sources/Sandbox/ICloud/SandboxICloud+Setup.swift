import Foundation
import Shared

/// The setup routes (`{SETUP}`): `accountLogin` turns a session token into web-auth cookies and
/// account data; `validate` checks those cookies on a later run.
extension SandboxICloud {
    func accountLogin(_ request: HTTPServerRequest, _ config: Config) -> HTTPServerResponse {
        guard let token = Self.body(request)?["dsWebAuthToken"]?.stringValue else {
            return Self.json(421, ["success": false, "error": "Missing dsWebAuthToken"])
        }
        guard let session = world.withLock({ $0.sessionTokens[token] }), session.stage != .needsRepair,
              let account = account(session.username, config) else {
            return Self.json(401, ["success": false, "error": "Invalid session token"])
        }
        if account.locked { return Self.json(401, ["success": false, "error": "Account locked"]) }
        let data = accountData(account, challengeRequired: session.stage == .needsSecondFactor, trusted: session.trusted)
        var response = Self.json(200, data)
        if session.stage == .needsSecondFactor {
            response.headers.add("Set-Cookie", "X-APPLE-WEBAUTH-HSA-LOGIN=\(ICloudWorld.token("hsa-")); Path=/; HttpOnly")
        } else {
            let web = ICloudWorld.token("wt-")
            world.withLock { $0.webTokens[web] = account.username }
            response.headers.add("Set-Cookie", "X-APPLE-WEBAUTH-TOKEN=\"v=2:t=\(web)\"; Path=/; HttpOnly")
            response.headers.add("Set-Cookie", "X-APPLE-WEBAUTH-USER=\"v=1:s=0:d=\(account.dsid)\"; Path=/; HttpOnly")
        }
        return response
    }

    func validate(_ request: HTTPServerRequest, _ config: Config) -> HTTPServerResponse {
        guard let cookie = Self.cookies(request)["X-APPLE-WEBAUTH-TOKEN"] else {
            return Self.json(421, ["success": false, "error": "Missing X-APPLE-WEBAUTH-TOKEN cookie"])
        }
        let web = cookie.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "v=2:t=", with: "")
        guard let username = world.withLock({ $0.webTokens[web] }), let account = account(username, config), !account.locked else {
            return Self.json(401, ["success": false, "error": "Authentication required for Account."])
        }
        return Self.json(200, accountData(account, challengeRequired: false, trusted: true))
    }

    /// The parts of Apple's account data a client uses: `dsInfo`, the 2FA flags, `webservices`.
    func accountData(_ account: Account, challengeRequired: Bool, trusted: Bool) -> JSON {
        let service: (String) -> JSON = { _ in ["url": .string(self.baseURL), "status": "active"] }
        return [
            "dsInfo": ["dsid": .string(account.dsid), "appleId": .string(account.username),
                       "hsaVersion": .int(account.twoFactor ? 2 : 0), "hasICloudQualifyingDevice": .bool(account.twoFactor)],
            "hasMinimumDeviceForPhotosWeb": true,
            "hsaChallengeRequired": .bool(challengeRequired),
            "hsaTrustedBrowser": .bool(trusted || !account.twoFactor),
            "webservices": ["ckdatabasews": service("ckdatabasews"), "photos": service("photos")],
        ]
    }
}
