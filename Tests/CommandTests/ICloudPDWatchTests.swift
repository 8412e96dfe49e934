import Foundation
import Sandbox
import Shared
import Testing

/// `--watch-with-interval` outlives a session that needs a new two-factor code when no
/// terminal can answer: one clear line per iteration, the loop keeps going.
@Suite struct ICloudPDWatchTests {
    @Test func aWatchLoopWaitsOutAnExpiredTwoFactorSession() async throws {
        let f = try ICloudPDDownloadFixture(photos: 8) { config in
            config.accounts = [SandboxICloud.Account(username: ICloudPDDownloadFixture.username,
                                                     password: ICloudPDDownloadFixture.password, twoFactor: true)]
        }
        let arguments = ["--username", ICloudPDDownloadFixture.username, "--password", ICloudPDDownloadFixture.password,
                         "--cookie-directory", f.cookieDirectory, "--directory", f.directory, "--no-progress-bar"]
        let environment = f.icloud.endpointEnvironment.merging(["TZ": "UTC"]) { $1 }
        let first = try await ToolRunner.run("icloudpd", arguments, stdin: "123456\n", environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        f.icloud.revokeTrust()
        f.icloud.expireSessions()

        let (text, alive) = try await ToolRunner.runWatchingLog("icloudpd", arguments + ["--watch-with-interval", "1"],
                                                                environment: ToolRunner.environment(environment), log: f.root + "/watch.log") {
            $0.components(separatedBy: "Trying again in 1 sec.").count >= 3
        }
        #expect(alive, "the loop stays alive: \(text)")
        #expect(text.components(separatedBy: "Two-factor authentication is required").count >= 3, "\(text)")
    }
}
