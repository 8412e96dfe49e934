import Foundation
import Sandbox
import Shared
import Synchronization
import Testing

/// The fake iCloud driven in-process by the real sign-in code, plus the answers Apple gives
/// to clients that get things wrong.
@Suite struct SandboxICloudTests {
    static func directory() -> String { NSTemporaryDirectory() + "sandbox-icloud-" + UUID().uuidString }

    func signIn(_ icloud: SandboxICloud, dir: String, password: String, answers: [String]) async -> Result<AccountData, SignInError> {
        let remaining = Mutex(answers)
        let prompts = SignInPrompts(password: { password }, answer: { _ in
            remaining.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        })
        let endpoints = AuthEndpoints(domain: .com, environment: icloud.endpointEnvironment)
        let client = HTTPClient(retryPolicy: .none, followRedirects: false)
        do throws(SignInError) {
            let session = try ICloudSession(store: SessionStore(directory: dir, username: "demo@sandbox.local"),
                                            endpoints: endpoints, client: client, environment: [:])
            return .success(try await ICloudSignIn(session: session, username: "demo@sandbox.local", prompts: prompts).signIn())
        } catch {
            return .failure(error)
        }
    }

    @Test func pushThenEmptyAnswerPushesAgainThenCode() async throws {
        let icloud = SandboxICloud()
        try icloud.start()
        defer { icloud.stop() }
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = await signIn(icloud, dir: dir, password: "demo-password", answers: ["", "123456"])
        let data = try result.get()
        #expect(data.webserviceURL("ckdatabasews") == icloud.baseURL)
        #expect(data.dsid != nil)
        #expect(icloud.pushes == 2)
    }

    @Test func threeWrongCodesGiveUp() async throws {
        let icloud = SandboxICloud()
        try icloud.start()
        defer { icloud.stop() }
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = await signIn(icloud, dir: dir, password: "demo-password", answers: ["111111", "222222", "333333", "123456"])
        #expect(throws: SignInError.wrongCode) { try result.get() }
        #expect(icloud.requestCounts()["POST /appleauth/auth/verify/trusteddevice/securitycode"] == 3)
    }

    @Test func rawAnswers() async throws {
        let icloud = SandboxICloud()
        try icloud.start()
        defer { icloud.stop() }
        let client = HTTPClient(retryPolicy: .none)
        func post(_ path: String, _ body: String, headers: [String: String] = [:]) async throws -> Shared.HTTPResponse {
            try await client.send(Shared.HTTPRequest(method: "POST", url: URL(string: icloud.baseURL + path)!, headers: headers,
                                                     body: Data(body.utf8)))
        }
        // validate without the web-auth cookie: 421, as Apple answers.
        #expect(try await post("/setup/ws/1/validate", "null").status == 421)
        // accountLogin with an unknown session token: 401.
        #expect(try await post("/setup/ws/1/accountLogin", #"{"dsWebAuthToken":"nope"}"#).status == 401)
        // init without the widget key: refused.
        #expect(try await post("/appleauth/auth/signin/init", #"{"a":"AQ==","accountName":"x"}"#).status == 400)
        // complete for a challenge never issued: refused.
        #expect(try await post("/appleauth/auth/signin/complete", #"{"c":"x","m1":"AQ==","m2":"AQ=="}"#).status == 400)
        icloud.setConfig { $0.throttle = true }
        #expect(try await post("/setup/ws/1/validate", "null").status == 503)
        #expect(icloud.requestCounts()["total"] == 5)
    }
}
