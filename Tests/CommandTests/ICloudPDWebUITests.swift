import Foundation
import Sandbox
import Shared
import Testing

/// `--mfa-provider webui` / `--password-provider webui` driven over HTTP as a browser would:
/// plain form posts, 303 back to the page, the status JSON.
@Suite struct ICloudPDWebUITests {
    static let client = HTTPClient(retryPolicy: .init(maxAttempts: 1), followRedirects: false)

    static func get(_ url: String) async throws -> HTTPResponse {
        try await client.send(HTTPRequest(method: "GET", url: URL(string: url)!))
    }

    static func post(_ url: String, _ form: String = "") async throws -> HTTPResponse {
        try await client.send(HTTPRequest(method: "POST", url: URL(string: url)!,
                                          headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Data(form.utf8)))
    }

    static func status(_ base: String) async throws -> JSON { try JSON.parse(Array(try await get(base + "status").body)) }

    /// The page's URL from the log (`Web page: http://127.0.0.1:PORT/`).
    static func pageURL(_ watch: ICloudPDWatchFaultTests.Watch) async throws -> String {
        #expect(try await watch.until { $0.text.contains("Web page: ") }, "\(watch.text)")
        let line = try #require(watch.text.split(separator: "\n").first { $0.contains("Web page: ") })
        return String(line[line.range(of: "Web page: ")!.upperBound...])
    }

    static func awaiting(_ base: String, _ what: String, message: String? = nil, timeout: Double = 20) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = try? await status(base), status["awaiting"]?.stringValue == what,
               message.map({ status["message"]?.stringValue?.contains($0) == true }) ?? true { return true }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return false
    }

    func twoFactorFixture() throws -> ICloudPDDownloadFixture {
        try ICloudPDDownloadFixture(photos: 2) { config in
            config.accounts = [SandboxICloud.Account(username: ICloudPDDownloadFixture.username,
                                                     password: ICloudPDDownloadFixture.password, twoFactor: true)]
        }
    }

    func base(_ f: ICloudPDDownloadFixture) -> [String] {
        ["--username", ICloudPDDownloadFixture.username, "--cookie-directory", f.cookieDirectory, "--directory", f.directory,
         "--no-progress-bar", "--webui-listen", "127.0.0.1:0"]
    }

    @Test func aWrongCodeThenTheRightOne() async throws {
        let f = try twoFactorFixture()
        let watch = try ICloudPDWatchFaultTests.Watch(base(f) + ["--password", ICloudPDDownloadFixture.password, "--auth-only", "--mfa-provider", "webui"],
                                                      environment: f.icloud.endpointEnvironment, log: f.root + "/webui.log")
        let url = try await Self.pageURL(watch)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        #expect(try await Self.awaiting(url, "code"), "\(watch.text)")
        let page = String(decoding: try await Self.get(url).body, as: UTF8.self)
        #expect(page.contains(#"<form method="post" action="/code">"#) && page.contains(#"name="code""#), "\(page)")
        #expect(try await Self.post(url + "code", "code=000000").status == 303)
        #expect(try await Self.awaiting(url, "code", message: "not accepted"), "asks again: \(watch.text)")
        #expect(String(decoding: try await Self.get(url).body, as: UTF8.self).contains("not accepted"))
        let answer = try await Self.post(url + "code", "code=123+456")
        #expect(answer.status == 303 && answer.header("Location") == "/")
        #expect(try await watch.until { !$0.process.isRunning }, "\(watch.text)")
        #expect(watch.process.terminationStatus == 0, "\(watch.text)")
        #expect(watch.text.contains("Authentication completed successfully"))
    }

    @Test func thePasswordFromThePage() async throws {
        let f = try ICloudPDDownloadFixture(photos: 2)
        let watch = try ICloudPDWatchFaultTests.Watch(base(f) + ["--auth-only", "--password-provider", "webui"],
                                                      environment: f.icloud.endpointEnvironment, log: f.root + "/webui.log")
        let url = try await Self.pageURL(watch)
        #expect(try await Self.awaiting(url, "password"), "\(watch.text)")
        #expect(String(decoding: try await Self.get(url).body, as: UTF8.self).contains(#"type="password""#))
        #expect(try await Self.post(url + "password", "password=not-it").status == 303)
        #expect(try await Self.awaiting(url, "password", message: "not accepted"), "\(watch.text)")
        let password = ICloudPDDownloadFixture.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        #expect(try await Self.post(url + "password", "password=\(password)").status == 303)
        #expect(try await watch.until { !$0.process.isRunning }, "\(watch.text)")
        #expect(watch.process.terminationStatus == 0, "\(watch.text)")
        #expect(!watch.text.contains(ICloudPDDownloadFixture.password), "no secret in the log")
        #expect(!watch.text.contains("not-it"), "no secret in the log")
    }

    /// A watch loop whose session needs a new code waits on the page; cancel ends that
    /// iteration, resume starts the next at once, and the code lets it download.
    @Test func cancelResumeAndStatusInAWatchLoop() async throws {
        let f = try twoFactorFixture()
        let first = try await ToolRunner.run("icloudpd", base(f) + ["--password", ICloudPDDownloadFixture.password, "--auth-only"],
                                             stdin: "123456\n", environment: f.icloud.endpointEnvironment)
        #expect(first.status == 0, "\(first.stderr)")
        f.icloud.revokeTrust()
        f.icloud.expireSessions()
        let watch = try ICloudPDWatchFaultTests.Watch(base(f) + ["--password", ICloudPDDownloadFixture.password, "--mfa-provider", "webui",
                                                                 "--watch-with-interval", "3600"],
                                                      environment: f.icloud.endpointEnvironment.merging(["TZ": "UTC"]) { $1 }, log: f.root + "/webui.log")
        let url = try await Self.pageURL(watch)
        #expect(try await Self.awaiting(url, "code"), "\(watch.text)")
        #expect(try await Self.status(url)["waitingFor"] == "a two-factor code")
        #expect(try await Self.post(url + "cancel").status == 303)
        #expect(try await watch.until { $0.text.contains("Iteration was cancelled") }, "\(watch.text)")
        #expect(try await watch.until { $0.text.contains("Waiting for 3600 sec...") }, "\(watch.text)")
        #expect(try await Self.status(url)["outcome"] == "cancelled")
        #expect(try await Self.post(url + "resume").status == 303)
        #expect(try await Self.awaiting(url, "code"), "the next iteration at once: \(watch.text)")
        #expect(try await Self.post(url + "code", "code=123456").status == 303)
        #expect(try await watch.until { $0.count("Waiting for 3600 sec...") >= 2 }, "\(watch.text)")
        let status = try await Self.status(url)
        #expect(status["outcome"] == "ok", "\(status)")
        #expect((status["counts"]?["downloaded"]?.intValue ?? 0) > 0, "\(status)")
        #expect(status["awaiting"] == .null && status["nextStart"]?.stringValue != nil)
        #expect(f.files().count >= 2)
        #expect(try await Self.get(url + "nothing").status == 404)
        #expect(watch.process.isRunning)
    }
}
