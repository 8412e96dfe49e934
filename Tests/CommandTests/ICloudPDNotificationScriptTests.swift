import Foundation
import Sandbox
import Shared
import Testing

/// `--notification-script`: run (no arguments, no secrets in its environment) each time a
/// two-factor code is needed, before it is asked for; a failure is logged and the run goes on.
@Suite struct ICloudPDNotificationScriptTests {
    /// A temp dir holding a script that appends one line per run to `runs` and dumps `env` to `env`.
    struct Script {
        let directory: String
        var path: String { directory + "/notify.sh" }
        var runsPath: String { directory + "/runs" }
        var envPath: String { directory + "/env" }

        init(executable: Bool = true) throws {
            directory = NSTemporaryDirectory() + "icloudpd-notify-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let text = """
                #!/bin/sh
                echo "ran $#" >> '\(directory)/runs'
                env > '\(directory)/env'
                exit 7

                """
            // Written through an O_CLOEXEC descriptor: the other tests spawn processes all the
            // time, and a child that inherited a writable descriptor of the script would make
            // executing it fail with ETXTBSY ("Text file busy").
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, executable ? 0o755 : 0o644)
            guard fd >= 0 else { throw POSIXError(.EIO) }
            let bytes = Array(text.utf8)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            guard written == bytes.count else { throw POSIXError(.EIO) }
        }

        var runs: [String] {
            ((try? String(contentsOfFile: runsPath, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    @Test func runsOnceWithoutSecretsBeforeTheCode() async throws {
        let fixture = try ICloudPDSignInTests.Fixture()
        let script = try Script()
        defer { script.remove() }
        let result = try await fixture.run(["--notification-script", script.path], password: nil, stdin: "123456\n",
                                           environment: ["ICLOUD_PASSWORD": ICloudPDSignInTests.password,
                                                         "IMMICH_API_KEY": "secret-api-key", "NOTIFY_TEST_MARKER": "kept"])
        #expect(result.status == 0, "\(result.stderr)")  // the script's exit status 7 is ignored
        #expect(script.runs == ["ran 0"])
        let env = try String(contentsOfFile: script.envPath, encoding: .utf8)
        #expect(env.contains("NOTIFY_TEST_MARKER=kept"))
        #expect(env.contains("ICLOUDPD_EVENT=code-needed"))
        #expect(env.contains("ICLOUDPD_MESSAGE=Two-factor authentication is required"))
        #expect(!env.contains("ICLOUD_PASSWORD"))
        #expect(!env.contains(ICloudPDSignInTests.password))
        #expect(!env.contains("IMMICH_API_KEY"))
        let log = result.stdout
        let required = try #require(log.range(of: "Two-factor authentication is required (2fa)"))
        let executing = try #require(log.range(of: "Executing notification script..."))
        #expect(required.upperBound <= executing.lowerBound)
        #expect(!(result.stdout + result.stderr).contains("Notification of the required MFA failed"))
        #expect(result.stdout.contains("Authentication completed successfully"))
        fixture.expectNoPassword(result)

        // A saved session needs no code: the script does not run.
        let again = try await fixture.run(["--notification-script", script.path], password: nil)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(script.runs.count == 1)
    }

    @Test func noScriptWithoutTwoFactor() async throws {
        let fixture = try ICloudPDSignInTests.Fixture(twoFactor: false)
        let script = try Script()
        defer { script.remove() }
        let result = try await fixture.run(["--notification-script", script.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(script.runs.isEmpty)
        #expect(!result.stdout.contains("Executing notification script..."))
    }

    @Test func missingScriptIsLoggedAndTheUsualTwoFactorHandlingFollows() async throws {
        let fixture = try ICloudPDSignInTests.Fixture()
        let missing = NSTemporaryDirectory() + "icloudpd-notify-" + UUID().uuidString + "/missing.sh"
        let result = try await fixture.run(["--notification-script", missing], stdin: "")
        let baseline = try await ICloudPDSignInTests.Fixture().run(stdin: "")
        #expect(result.status == baseline.status)
        #expect(result.status == 4)
        #expect(result.stdout.contains("Notification of the required MFA failed"), "\(result.stdout)")
        #expect(result.stdout.contains("missing.sh"))
        #expect(result.stderr.contains("in a terminal"))
        #expect(result.stdout.contains("Executing notification script..."))
    }

    @Test func nonExecutableScriptIsLoggedAndTheCodeStillWorks() async throws {
        let fixture = try ICloudPDSignInTests.Fixture()
        let script = try Script(executable: false)
        defer { script.remove() }
        let result = try await fixture.run(["--notification-script", script.path], stdin: "123456\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Notification of the required MFA failed"), "\(result.stdout)")
        #expect(script.runs.isEmpty)
        #expect(result.stdout.contains("Authentication completed successfully"))
    }

    /// Each watch iteration whose sign-in needs a code runs the script again.
    @Test func aWatchLoopNotifiesEachTimeACodeIsNeeded() async throws {
        let f = try ICloudPDDownloadFixture(photos: 2) { config in
            config.accounts = [SandboxICloud.Account(username: ICloudPDDownloadFixture.username,
                                                     password: ICloudPDDownloadFixture.password, twoFactor: true)]
        }
        let script = try Script()
        defer { script.remove() }
        let arguments = ["--username", ICloudPDDownloadFixture.username, "--password", ICloudPDDownloadFixture.password,
                         "--cookie-directory", f.cookieDirectory, "--directory", f.directory, "--no-progress-bar",
                         "--notification-script", script.path, "--watch-with-interval", "1"]
        let (text, _) = try await ToolRunner.runWatchingLog("icloudpd", arguments,
                                                            environment: ToolRunner.environment(f.icloud.endpointEnvironment.merging(["TZ": "UTC"]) { $1 }),
                                                            log: f.root + "/watch.log") {
            $0.components(separatedBy: "Two-factor authentication is required (2fa)").count >= 4
        }
        // Counted by the sign-ins that needed a code (under load an iteration may fail earlier).
        let needed = text.components(separatedBy: "Two-factor authentication is required (2fa)").count - 1
        #expect(needed >= 3, "\(text)")
        // One run per such sign-in; the last may have been stopped before its script ran.
        #expect(script.runs.count <= needed && script.runs.count >= needed - 1, "\(script.runs) \(text)")
    }

    @Test func smtpOptionsAreStillRefused() async throws {
        let fixture = try ICloudPDSignInTests.Fixture()
        let result = try await fixture.run(["--smtp-username", "me"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--smtp-username is not implemented"))
    }
}
