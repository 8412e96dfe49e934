import Foundation
import Sandbox
import Shared
import Testing

/// Runs the built `icloudpd` against the fake iCloud, as a user would.
@Suite struct ICloudPDSignInTests {
    static let username = "jdoe@example.com"
    static let password = "correct horse battery staple"

    /// A fake iCloud with one account, a fresh cookie directory, and a runner for icloudpd.
    final class Fixture: @unchecked Sendable {
        // @unchecked: used from one test at a time.
        let icloud: SandboxICloud
        let cookieDirectory: String

        init(protocol proto: SRPProtocol = .s2k, twoFactor: Bool = true, locked: Bool = false) throws {
            var config = SandboxICloud.Config()
            config.accounts = [SandboxICloud.Account(username: ICloudPDSignInTests.username, password: ICloudPDSignInTests.password,
                                                     protocol: proto, twoFactor: twoFactor, locked: locked)]
            icloud = SandboxICloud(config: config)
            try icloud.start()
            cookieDirectory = NSTemporaryDirectory() + "icloudpd-test-" + UUID().uuidString + "/cookies"
            try FileManager.default.createDirectory(atPath: (cookieDirectory as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        }

        deinit {
            icloud.stop()
            try? FileManager.default.removeItem(atPath: (cookieDirectory as NSString).deletingLastPathComponent)
        }

        func run(_ extra: [String] = [], password: String? = ICloudPDSignInTests.password, stdin: String = "",
                 environment: [String: String] = [:]) async throws -> ToolRunner.Result {
            var arguments = ["--username", ICloudPDSignInTests.username, "--auth-only", "--cookie-directory", cookieDirectory]
            if let password { arguments += ["--password", password] }
            return try await ToolRunner.run("icloudpd", arguments + extra, stdin: stdin,
                                                    environment: icloud.endpointEnvironment.merging(environment) { $1 })
        }

        func count(_ key: String) -> Int { icloud.requestCounts()[key] ?? 0 }
        var sessionPath: String { cookieDirectory + "/jdoeexamplecom.session" }
        var cookiePath: String { cookieDirectory + "/jdoeexamplecom" }

        func mode(_ path: String) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1
        }

        /// The password never shows up in output or in the session files.
        func expectNoPassword(_ result: ToolRunner.Result) {
            #expect(!result.stdout.contains(ICloudPDSignInTests.password))
            #expect(!result.stderr.contains(ICloudPDSignInTests.password))
            for path in [sessionPath, cookiePath] {
                if let text = try? String(contentsOfFile: path, encoding: .utf8) { #expect(!text.contains(ICloudPDSignInTests.password)) }
            }
        }
    }

    static let init_ = "POST /appleauth/auth/signin/init"
    static let complete = "POST /appleauth/auth/signin/complete"
    static let deviceCode = "POST /appleauth/auth/verify/trusteddevice/securitycode"

    @Test(arguments: [(SRPProtocol.s2k, true), (.s2kFo, true), (.s2k, false), (.s2kFo, false)])
    func signsInThenReusesTheSession(_ proto: SRPProtocol, _ twoFactor: Bool) async throws {
        let fixture = try Fixture(protocol: proto, twoFactor: twoFactor)
        let first = try await fixture.run(stdin: twoFactor ? "123456\n" : "")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Authentication completed successfully"))
        #expect(fixture.count(Self.init_) == 1)
        if twoFactor {
            #expect(first.stdout.contains("Two-factor authentication is required (2fa)"))
            #expect(fixture.count("PUT /appleauth/auth/verify/trusteddevice/securitycode") == 1)  // the push
            #expect(fixture.count(Self.deviceCode) == 1)
            #expect(fixture.count("GET /appleauth/auth/2sv/trust") == 1)
        } else {
            #expect(fixture.count("POST /appleauth/auth/repair/complete") == 1)
        }
        #expect(fixture.mode(fixture.cookieDirectory) == 0o700)
        #expect(fixture.mode(fixture.sessionPath) == 0o600)
        #expect(fixture.mode(fixture.cookiePath) == 0o600)
        fixture.expectNoPassword(first)

        // Second run: no password, no stdin, no sign-in: only validate.
        fixture.icloud.resetCounts()
        let second = try await fixture.run(password: nil)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("Authentication completed successfully"))
        #expect(fixture.count(Self.init_) == 0)
        #expect(fixture.count("POST /setup/ws/1/validate") == 1)
    }

    @Test func trustTokenSkipsTheCodeAfterTheSessionExpires() async throws {
        let fixture = try Fixture()
        #expect(try await fixture.run(stdin: "123456\n").status == 0)
        fixture.icloud.expireSessions()
        fixture.icloud.resetCounts()
        let again = try await fixture.run()
        #expect(again.status == 0, "\(again.stderr)")
        #expect(fixture.count("POST /setup/ws/1/validate") == 1)
        #expect(fixture.count(Self.init_) == 1)
        #expect(fixture.count(Self.deviceCode) == 0)
        #expect(!again.stdout.contains("Two-factor"))
    }

    @Test func codeBySMS() async throws {
        let fixture = try Fixture()
        let result = try await fixture.run(stdin: "b\n123456\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(fixture.icloud.textsSent == [2])
        #expect(fixture.count("POST /appleauth/auth/verify/phone/securitycode") == 1)
        #expect(result.stdout.contains("b: +44 ***** ****34"))
    }

    @Test func passwordFromEnvironment() async throws {
        let fixture = try Fixture(twoFactor: false)
        let result = try await fixture.run(password: nil, environment: ["ICLOUD_PASSWORD": Self.password])
        #expect(result.status == 0, "\(result.stderr)")
        fixture.expectNoPassword(result)
    }

    @Test func wrongPassword() async throws {
        let fixture = try Fixture()
        let result = try await fixture.run(password: "not the password")
        #expect(result.status == 3)
        #expect(result.stderr.contains("Invalid email/password combination"))
        #expect(!result.stderr.contains("not the password") && !result.stdout.contains("not the password"))
    }

    @Test func noPasswordAndNoTerminal() async throws {
        let fixture = try Fixture()
        let result = try await fixture.run(password: nil)
        #expect(result.status == 3)
        #expect(result.stderr.contains("ICLOUD_PASSWORD"))
    }

    @Test func wrongCode() async throws {
        let fixture = try Fixture()
        let result = try await fixture.run(stdin: "654321\n")
        #expect(result.status == 3)
        #expect(result.stderr.contains("two-factor code"))
        #expect(fixture.count("GET /appleauth/auth/2sv/trust") == 0)
        fixture.expectNoPassword(result)
    }

    @Test func codeNeededWithoutTerminal() async throws {
        let fixture = try Fixture()
        let result = try await fixture.run(stdin: "")
        #expect(result.status == 4)
        #expect(result.stderr.contains("in a terminal"))
    }

    @Test func invalidAnswerThenCode() async throws {
        let fixture = try Fixture()
        let result = try await fixture.run(stdin: "12\n123 456\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Invalid code, should be six digits"))
    }

    @Test func lockedAccount() async throws {
        let fixture = try Fixture(locked: true)
        let result = try await fixture.run()
        #expect(result.status == 3)
        #expect(result.stderr.contains("locked"))
    }

    @Test func throttled() async throws {
        let fixture = try Fixture()
        fixture.icloud.setConfig { $0.throttle = true }
        let result = try await fixture.run()
        #expect(result.status == 1)
        #expect(result.stderr.contains("503"))
        #expect(fixture.count(Self.init_) == 3)  // retried with backoff, then gave up
    }

    @Test func networkDown() async throws {
        let fixture = try Fixture()
        fixture.icloud.stop()
        let result = try await fixture.run()
        #expect(result.status == 1)
        #expect(result.stderr.contains("Cannot connect"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func corruptCookieFile() async throws {
        let fixture = try Fixture()
        try FileManager.default.createDirectory(atPath: fixture.cookieDirectory, withIntermediateDirectories: true)
        try Data("this is not a cookie jar\n".utf8).write(to: URL(fileURLWithPath: fixture.cookiePath))
        let result = try await fixture.run()
        #expect(result.status == 1)
        #expect(result.stderr.contains("damaged"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func optionsNotImplementedYet() async throws {
        let fixture = try Fixture()
        let download = try await ToolRunner.run("icloudpd", ["-u", Self.username, "-d", "/tmp/photos", "--delete-after-download"])
        #expect(download.status == 2)
        #expect(download.stderr.contains("--delete-after-download is not implemented yet"))
        let notify = try await fixture.run(["--notification-email", "me@example.com"])
        #expect(notify.status == 2)
        #expect(notify.stderr.contains("--notification-email is not implemented yet"))
        let accepted = try await fixture.run(["--directory", "/tmp/photos", "--size", "medium"], stdin: "123456\n")
        #expect(accepted.status == 0, "\(accepted.stderr)")
        let unknown = try await ToolRunner.run("icloudpd", ["-u", Self.username, "--auth-only", "--no-such-option"])
        #expect(unknown.status == 2)
        let help = try await ToolRunner.run("icloudpd", [])
        #expect(help.status == 0)
        #expect(help.stdout.contains("4  two-factor code needed"))
    }
}
