import Foundation
import Shared

/// The idmsa routes (`{AUTH}`): SRP sign-in, repair, second factor and trust.
extension SandboxICloud {
    static let widgetKey = AuthEndpoints.widgetKey

    func signinInit(_ request: HTTPServerRequest, _ config: Config) -> HTTPServerResponse {
        guard request.headers["x-apple-widget-key"] == Self.widgetKey,
              let body = Self.body(request), let aText = body["a"]?.stringValue, let A = Data(base64Encoded: aText),
              let name = body["accountName"]?.stringValue else {
            return Self.serviceError(400, code: "-20000", message: "Bad request.")
        }
        // An unknown Apple ID gets a made-up verifier, so it fails at complete like a wrong password.
        let known = account(name, config)
        let proto = known?.protocol ?? .s2k
        let iterations = known?.iterations ?? 1000
        let salt = (try? Crypto.randomBytes(count: 16)) ?? Data(repeating: 7, count: 16)
        guard let server = try? SRPServer(username: name, password: known?.password ?? UUID().uuidString, salt: salt,
                                          iterations: iterations, protocol: proto) else {
            return Self.serviceError(500, code: "-1", message: "SRP failed")
        }
        let c = ICloudWorld.token("c-")
        let sessionID = ICloudWorld.token("sid-")
        let scnt = ICloudWorld.token("scnt-")
        world.withLock { world in
            world.handshakes[c] = .init(username: name.lowercased(), server: server, A: A, sessionID: sessionID)
            world.idmsaSessions[sessionID] = .init(username: name.lowercased(), scnt: scnt)
        }
        let reply: JSON = ["iteration": .int(iterations), "salt": .string(salt.base64EncodedString()),
                           "protocol": .string(proto.rawValue), "b": .string(server.B.base64EncodedString()), "c": .string(c)]
        return Self.json(200, reply, headers: [("scnt", scnt), ("X-Apple-ID-Session-Id", sessionID),
                                               ("Set-Cookie", "aasp=\(ICloudWorld.token("aasp-")); Path=/; HttpOnly")])
    }

    func signinComplete(_ request: HTTPServerRequest, _ config: Config) -> HTTPServerResponse {
        guard let body = Self.body(request), let c = body["c"]?.stringValue,
              let m1 = body["m1"]?.stringValue.flatMap({ Data(base64Encoded: $0) }),
              let m2 = body["m2"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) else {
            return Self.serviceError(400, code: "-20000", message: "Bad request.")
        }
        // The challenge is single-use, and must come back on the idmsa session that asked for it.
        guard let handshake = world.withLock({ $0.handshakes.removeValue(forKey: c) }),
              let (sessionID, idmsa) = idmsaSession(request), sessionID == handshake.sessionID else {
            return Self.serviceError(400, code: "-20000", message: "Your session has expired. Please sign in again.")
        }
        let account = account(handshake.username, config)
        if let account, account.locked {
            return Self.serviceError(403, code: "-20209", message: "This Apple ID has been locked for security reasons.")
        }
        guard let account, (try? handshake.server.verify(A: handshake.A, M1: m1, M2: m2)) != nil,
              body["accountName"]?.stringValue?.lowercased() == account.username else {
            return Self.serviceError(401, code: "-20101", message: "Your Apple ID or password was incorrect.")
        }
        let presented = body["trustTokens"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let token = ICloudWorld.token("st-")
        let newScnt = ICloudWorld.token("scnt-")
        let status: Int = world.withLock { world in
            let trusted = presented.contains { world.trustTokens[$0] == account.username }
            let stage: ICloudWorld.SessionToken.Stage
            let status: Int
            if !account.twoFactor { (stage, status) = (.needsRepair, 412) }
            else if trusted { (stage, status) = (.verified, 200) }
            else { (stage, status) = (.needsSecondFactor, 409) }
            world.sessionTokens[token] = .init(username: account.username, stage: stage, trusted: trusted)
            world.idmsaSessions[sessionID] = .init(username: account.username, scnt: newScnt, sessionToken: token)
            return status
        }
        _ = idmsa
        var headers = [("X-Apple-Session-Token", token), ("X-Apple-ID-Account-Country", "USA"), ("scnt", newScnt),
                       ("X-Apple-ID-Session-Id", sessionID)]
        if account.twoFactor { headers.append(("X-Apple-TwoSV-Trust-Eligible", "true")) }
        return Self.json(status, ["authType": .string(account.twoFactor ? "hsa2" : "non-sa")], headers: headers)
    }

    func repairComplete(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let (_, idmsa) = idmsaSession(request), let token = idmsa.sessionToken else {
            return Self.serviceError(401, code: "-20101", message: "Not signed in.")
        }
        world.withLock { world in
            if world.sessionTokens[token]?.stage == .needsRepair { world.sessionTokens[token]?.stage = .verified }
        }
        return .empty(status: 204)
    }

    /// The HTML page whose boot args list the trusted phone numbers.
    func trustedPhonesPage(_ request: HTTPServerRequest, _ config: Config) -> HTTPServerResponse {
        guard idmsaSession(request) != nil else { return Self.serviceError(401, code: "-20101", message: "Not signed in.") }
        let phones: [JSON] = config.trustedPhones.map {
            ["id": .int($0.id), "obfuscatedNumber": .string($0.obfuscatedNumber), "pushMode": "sms"]
        }
        let args: JSON = ["direct": ["twoSV": ["phoneNumberVerification": ["trustedPhoneNumbers": .array(phones)]]]]
        let html = """
            <!DOCTYPE html><html><head><title>Apple ID</title></head><body>
            <script type="application/json" class="boot_args">\(args.serialized)</script>
            </body></html>
            """
        var response = HTTPServerResponse.text(status: 200, html)
        response.headers.set("Content-Type", "text/html; charset=utf-8")
        return response
    }

    func pushCode(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard idmsaSession(request) != nil else { return Self.serviceError(401, code: "-20101", message: "Not signed in.") }
        world.withLock { $0.pushes += 1 }
        return Self.json(202, ["trustedDeviceCount": 1, "securityCode": ["length": 6]])
    }

    func sendText(_ request: HTTPServerRequest, _ config: Config) -> HTTPServerResponse {
        guard idmsaSession(request) != nil else { return Self.serviceError(401, code: "-20101", message: "Not signed in.") }
        guard let id = Self.body(request)?["phoneNumber"]?["id"]?.intValue, config.trustedPhones.contains(where: { $0.id == id }) else {
            return Self.serviceError(400, code: "-21670", message: "Unknown phone number.")
        }
        world.withLock { $0.textsSent.append(id) }
        return Self.json(200, ["trustedPhoneNumber": ["id": .int(id)]])
    }

    /// Device code (`securityCode.code`) or SMS code (plus `phoneNumber.id`, `mode: sms`).
    func verifyCode(_ request: HTTPServerRequest, _ config: Config, sms: Bool) -> HTTPServerResponse {
        guard let (_, idmsa) = idmsaSession(request), let token = idmsa.sessionToken else {
            return Self.serviceError(401, code: "-20101", message: "Not signed in.")
        }
        let body = Self.body(request)
        if sms {
            guard let id = body?["phoneNumber"]?["id"]?.intValue, world.withLock({ $0.textsSent.contains(id) }) else {
                return Self.serviceError(400, code: "-21670", message: "No code was sent to that number.")
            }
        }
        guard body?["securityCode"]?["code"]?.stringValue == config.validCode else {
            return Self.json(400, ["service_errors": [["code": "-21669", "title": "Incorrect Verification Code",
                                                        "message": "Incorrect verification code."]], "hasError": true])
        }
        world.withLock { world in
            if world.sessionTokens[token]?.stage == .needsSecondFactor { world.sessionTokens[token]?.stage = .verified }
        }
        return .empty(status: 204)
    }

    /// `2sv/trust`: a trust token for next time and a new, trusted session token.
    func trust(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let (sessionID, idmsa) = idmsaSession(request), let token = idmsa.sessionToken else {
            return Self.serviceError(401, code: "-20101", message: "Not signed in.")
        }
        let trustToken = ICloudWorld.token("tt-")
        let newToken = ICloudWorld.token("st-")
        let ok: Bool = world.withLock { world in
            guard let current = world.sessionTokens[token], current.stage == .verified else { return false }
            world.trustTokens[trustToken] = current.username
            world.sessionTokens[newToken] = .init(username: current.username, stage: .verified, trusted: true)
            world.idmsaSessions[sessionID]?.sessionToken = newToken
            return true
        }
        guard ok else { return Self.serviceError(401, code: "-21669", message: "Verify the code first.") }
        var response = HTTPServerResponse.empty(status: 204)
        response.headers.add("X-Apple-TwoSV-Trust-Token", trustToken)
        response.headers.add("X-Apple-Session-Token", newToken)
        return response
    }
}
