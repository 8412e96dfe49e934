import Foundation

/// Apple's web sign-in as icloudpd 1.32 does it, with the changes Apple made since
/// (docs/references.md#icloudpd-sign-in, #apple-sign-in-changes-after-icloudpd): reuse a saved
/// session through `validate`; otherwise SRP-6a `signin/init` + `signin/complete`, 412 →
/// `repair/complete`, `accountLogin`, and when Apple wants a second factor: push a code, ask,
/// verify, `2sv/trust` (a trust token skips the next 2FA), and `accountLogin` again.
public struct ICloudSignIn: Sendable {
    public let session: ICloudSession
    public let username: String
    public let prompts: SignInPrompts
    /// Wrong codes accepted before giving up.
    public var maxCodeAttempts = 3

    public init(session: ICloudSession, username: String, prompts: SignInPrompts) {
        self.session = session
        self.username = username
        self.prompts = prompts
    }

    /// A usable session: the saved one if Apple still accepts it, else a fresh sign-in.
    public func signIn() async throws(SignInError) -> AccountData {
        if await session.state.sessionToken != nil {
            Log.debug("Checking session token validity")
            if let data = try await validate() {
                Log.debug("Session token is still valid")
                return try await finish(data)
            }
            Log.debug("Invalid authentication token, will log in from scratch.")
            await session.dropSessionToken()
        }
        try await passwordSignIn()
        return try await finish(try await accountLogin())
    }

    // MARK: steps

    /// `POST {SETUP}/validate`; nil when Apple no longer accepts the session.
    func validate() async throws(SignInError) -> AccountData? {
        let response = try await session.send("POST", session.endpoints.validateURL, body: SignInMessages.validateBody)
        if response.status == 503 || response.status == 429 { throw .throttled }
        // A 200 carrying X-Apple-I-Rscd 401/403 is a rejection too
        // (docs/references.md#apple-sign-in-changes-after-icloudpd).
        if let rscd = response.header("x-apple-i-rscd"), rscd == "401" || rscd == "403" { return nil }
        guard response.status == 200, let data = try? AccountData(body: response.body), data.dsid != nil else { return nil }
        return data
    }

    /// SRP: `signin/init`, `signin/complete`, and `repair/complete` when Apple asks for it.
    func passwordSignIn() async throws(SignInError) {
        guard let password = prompts.password(), !password.isEmpty else { throw .noPassword }
        Log.shared.redact(password)
        Log.debug("Authenticating...")
        var srp: SRPClient
        do { srp = try SRPClient() } catch { throw .unexpected("no random numbers: \(error)") }
        let endpoints = session.endpoints

        let initResponse = try await session.send("POST", endpoints.signinInitURL, headers: await session.authHeaders(.signin),
                                                  body: SignInMessages.initBody(A: srp.A, accountName: username))
        try Self.checkThrottle(initResponse)
        guard initResponse.status == 200 else {
            if AppleServiceErrors(body: initResponse.body).isLocked { throw .accountLocked }
            if (400..<500).contains(initResponse.status) { throw .wrongPassword }
            throw .unexpected("signin/init answered \(initResponse.status)")
        }
        let challenge: SignInMessages.InitResponse
        do { challenge = try SignInMessages.parseInitResponse(initResponse.body) } catch {
            throw .unexpected("signin/init: \(error)")
        }
        let m1: Data
        do {
            m1 = try srp.respond(salt: challenge.salt, B: challenge.B, iterations: challenge.iterations,
                                 protocol: challenge.protocol, username: username, password: password)
        } catch { throw .unexpected("SRP: \(error)") }
        guard let m2 = srp.M2 else { throw .unexpected("SRP gave no proof") }

        let trustToken = await session.state.trustToken
        let body = SignInMessages.completeBody(accountName: username, c: challenge.c, M1: m1, M2: m2, trustToken: trustToken)
        // Not retried: the challenge `c` is single-use, a resend could only fail.
        let complete = try await session.send("POST", endpoints.signinCompleteURL, headers: await session.authHeaders(.signin),
                                              body: body, retry: .never)
        try Self.checkThrottle(complete)
        switch complete.status {
        case 200:
            Log.debug("Signed in; this browser is trusted")
        case 409:
            Log.debug("Apple wants a second factor")
        case 412:
            let repair = try await session.send("POST", endpoints.repairCompleteURL, headers: await session.authHeaders(),
                                                body: SignInMessages.repairBody, retry: .never)
            try Self.checkThrottle(repair)
            guard repair.isSuccess else { throw .unexpected("repair/complete answered \(repair.status)") }
        default:
            let errors = AppleServiceErrors(body: complete.body)
            if errors.isLocked { throw .accountLocked }
            if (400..<500).contains(complete.status) { throw .wrongPassword }
            throw .unexpected("signin/complete answered \(complete.status)")
        }
    }

    /// `POST {SETUP}/accountLogin` with the session token.
    func accountLogin() async throws(SignInError) -> AccountData {
        let body = SignInMessages.accountLoginBody(session: await session.state)
        let response = try await session.send("POST", session.endpoints.accountLoginURL, body: body)
        try Self.checkThrottle(response)
        guard response.status == 200 else {
            if let json = try? JSON.parse(Array(response.body)),
               let code = json["errorCode"]?.stringValue ?? json["error"]?.stringValue,
               code == "ZONE_NOT_FOUND" || code == "AUTHENTICATION_FAILED" {
                throw .serviceNotActivated
            }
            if [401, 403, 421, 450].contains(response.status) { throw .wrongPassword }
            throw .unexpected("accountLogin answered \(response.status)")
        }
        guard let data = try? AccountData(body: response.body) else { throw .unexpected("accountLogin answered no account data") }
        if let domain = data.domainToUse { throw .wrongDomain(domain) }
        return data
    }

    /// Runs the second factor when the account data asks for it.
    func finish(_ data: AccountData) async throws(SignInError) -> AccountData {
        guard data.requiresTwoFactor else { return data }
        Log.info("Two-factor authentication is required (2fa)")
        await prompts.codeNeeded()
        try await TwoFactorFlow(session: session, prompts: prompts, maxAttempts: maxCodeAttempts).run()
        try await trust()
        let trusted = try await accountLogin()
        if trusted.requiresTwoFactor { throw .unexpected("Apple still asks for a second factor after the code was accepted") }
        Log.info("Great, you're all set up. The script can now be run without user interaction until 2FA expires.")
        return trusted
    }

    /// `GET {AUTH}/2sv/trust`: the answer's headers carry the trust token and a new session token.
    func trust() async throws(SignInError) {
        let response = try await session.send("GET", session.endpoints.trustURL, headers: await session.authHeaders())
        try Self.checkThrottle(response)
        if !response.isSuccess { Log.warning("Session trust failed.") }
    }

    static func checkThrottle(_ response: HTTPResponse) throws(SignInError) {
        if response.status == 503 || response.status == 429 { throw .throttled }
    }
}
