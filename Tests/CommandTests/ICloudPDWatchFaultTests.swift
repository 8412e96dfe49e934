import Foundation
import Sandbox
import Shared
import Testing

/// A watch loop outlives every transient fault: each one ends that iteration only (one ERROR
/// line, the notification script told `iteration-failed`, a longer wait), the first good
/// iteration after is `recovered`, and the status file says so after every iteration.
@Suite(.serialized) struct ICloudPDWatchFaultTests {
    /// A running icloudpd whose stdout and stderr go to one log file.
    final class Watch: @unchecked Sendable {
        // @unchecked: used from one test at a time.
        let process = Process()
        let log: String

        init(_ arguments: [String], environment: [String: String], log: String) throws {
            self.log = log
            FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = ToolRunner.url("icloudpd")
            process.arguments = arguments
            process.environment = ToolRunner.environment(environment)
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle(forWritingAtPath: log)
            process.standardError = FileHandle(forWritingAtPath: log)
            try process.run()
        }

        var text: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        func count(_ needle: String) -> Int { text.components(separatedBy: needle).count - 1 }

        /// Polls the log until `condition` holds or the process ends; false on timeout or exit.
        func until(timeout: Double = 40, _ condition: @escaping @Sendable (Watch) -> Bool) async throws -> Bool {
            try await ToolRunner.onThread { [self] in
                let deadline = Date().addingTimeInterval(timeout)
                while process.isRunning && Date() < deadline {
                    if condition(self) { return true }
                    usleep(50_000)
                }
                return condition(self)
            }
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }

        deinit { stop() }
    }

    /// A notification script that appends `EVENT|MESSAGE` to a file per run.
    struct EventScript {
        let directory: String
        var path: String { directory + "/notify.sh" }
        var eventsPath: String { directory + "/events" }

        init() throws {
            directory = NSTemporaryDirectory() + "icloudpd-events-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let text = "#!/bin/sh\necho \"$ICLOUDPD_EVENT|$ICLOUDPD_MESSAGE\" >> '\(directory)/events'\n"
            // O_CLOEXEC: a child that inherited a writable descriptor would make exec fail (ETXTBSY).
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
            guard fd >= 0 else { throw POSIXError(.EIO) }
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }

        var events: [String] {
            ((try? String(contentsOfFile: eventsPath, encoding: .utf8)) ?? "").split(separator: "\n").map { String($0.split(separator: "|").first ?? "") }
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    static func status(_ path: String) throws -> JSON {
        try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func immichDownAtStartThenICloudDownLaterAreWaitedOut() async throws {
        let world = try EndToEndTests.World(photos: 6)
        let script = try EventScript()
        defer { script.remove() }
        let statusPath = world.icloud.root + "/status.json"
        world.immich.setConfig { $0.failRate = 1 }  // both containers booting: Immich answers 5xx
        let arguments = ["--username", ICloudPDDownloadFixture.username, "--password", ICloudPDDownloadFixture.password,
                         "--cookie-directory", world.icloud.cookieDirectory, "--directory", world.icloud.directory,
                         "--no-progress-bar", "--watch-with-interval", "1", "--status-file", statusPath,
                         "--notification-script", script.path] + world.plugin([])
        let environment = world.icloud.icloud.endpointEnvironment.merging(["TZ": "UTC", "IMMICH_API_KEY": world.immich.apiKey, "HOME": world.icloud.root]) { $1 }
        let watch = try Watch(arguments, environment: environment, log: world.icloud.root + "/watch.log")

        // Two failed iterations: the wait doubles (2 s, then 4 s = the cap for a 1 s interval).
        #expect(try await watch.until { $0.count("Waiting for 4 sec...") >= 1 }, "\(watch.text)")
        #expect(watch.count("This iteration failed: cannot reach Immich") >= 2, "\(watch.text)")
        #expect(watch.text.contains("Waiting for 2 sec..."))
        var status = try Self.status(statusPath)
        #expect(status["outcome"] == "failed", "\(status)")
        #expect(status["lastError"]?.stringValue?.contains("Immich") == true, "\(status)")
        #expect((status["consecutiveFailures"]?.intValue ?? 0) >= 2)
        #expect(status["nextStart"]?.stringValue != nil)
        #expect(script.events.filter { $0 == "iteration-failed" }.count >= 2, "\(script.events)")

        // Immich is back: the next iteration downloads and registers everything.
        world.immich.setConfig { $0.failRate = 0 }
        #expect(try await watch.until { $0.count(#""type":"summary""#) >= 1 }, "\(watch.text)")
        #expect(try await watch.until { _ in script.events.contains("recovered") }, "\(script.events)")
        #expect(try await watch.until { _ in (try? Self.status(statusPath)["outcome"]) == "ok" })
        status = try Self.status(statusPath)
        #expect(status["consecutiveFailures"] == 0)
        #expect((status["totals"]?["downloaded"]?.intValue ?? 0) > 0, "\(status)")
        #expect((status["totals"]?["registered"]?.intValue ?? 0) > 0, "\(status)")
        #expect(status["lastError"]?.stringValue?.contains("Immich") == true, "the last error stays: \(status)")

        // iCloud Photos answers 503 (after the client's retries): one failed iteration, then recovered.
        let failedBefore = watch.count("This iteration failed")
        world.icloud.icloud.setConfig { $0.cloudKitUnavailable = true }
        #expect(try await watch.until { $0.count("This iteration failed") > failedBefore }, "\(watch.text)")
        world.icloud.icloud.setConfig { $0.library.addPhotos(2); $0.cloudKitUnavailable = false }
        #expect(try await watch.until { _ in script.events.filter { $0 == "recovered" }.count >= 2 }, "\(script.events) \(watch.text)")
        #expect(watch.process.isRunning, "the loop never exits: \(watch.text)")
        watch.stop()
        // Nothing lost: the photos added during the outage reached Immich.
        let assets = try world.state()["assets"]?.arrayValue ?? []
        let files = world.icloud.files().filter { !$0.hasSuffix(".xmp") && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
        #expect(assets.count == files.count, "\(assets.count) assets for \(files.count) files")
        // No secret in the log.
        #expect(!watch.text.contains(ICloudPDDownloadFixture.password))
        #expect(!watch.text.contains(world.immich.apiKey))
    }

    /// A wrong API key still ends a watch loop (exit 3): waiting would not fix it.
    @Test func aWrongAPIKeyEndsTheWatchLoop() async throws {
        let world = try EndToEndTests.World(photos: 2)
        let arguments = ["--username", ICloudPDDownloadFixture.username, "--password", ICloudPDDownloadFixture.password,
                         "--cookie-directory", world.icloud.cookieDirectory, "--directory", world.icloud.directory,
                         "--no-progress-bar", "--watch-with-interval", "1"] + world.plugin([])
        let result = try await world.icloud.run(Array(arguments.dropFirst(8)), environment: ["IMMICH_API_KEY": "wrong-key", "HOME": world.icloud.root])
        #expect(result.status == 3, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("Immich rejected the API key"))
    }

    /// The download directory replaced by a file (a dropped network mount): the photos fail,
    /// the loop goes on, and they are downloaded once the directory is back.
    @Test func aVanishedDownloadDirectoryIsWaitedOut() async throws {
        let f = try ICloudPDDownloadFixture(photos: 3)
        try FileManager.default.createDirectory(atPath: f.root + "/mnt", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: f.directory, contents: Data("not a folder".utf8))
        let statusPath = f.root + "/status.json"
        let arguments = ["--username", ICloudPDDownloadFixture.username, "--password", ICloudPDDownloadFixture.password,
                         "--cookie-directory", f.cookieDirectory, "--directory", f.directory, "--no-progress-bar",
                         "--watch-with-interval", "1", "--status-file", statusPath]
        let watch = try Watch(arguments, environment: f.icloud.endpointEnvironment.merging(["TZ": "UTC"]) { $1 }, log: f.root + "/watch.log")
        #expect(try await watch.until { _ in (try? Self.status(statusPath)["iterations"]?.intValue ?? 0) ?? 0 >= 1 }, "\(watch.text)")
        let outcome = try Self.status(statusPath)["outcome"]?.stringValue
        #expect(outcome == "partial" || outcome == "failed", "\(watch.text)")
        try FileManager.default.removeItem(atPath: f.directory)
        #expect(try await watch.until { _ in (try? Self.status(statusPath)["outcome"]) == "ok" }, "\(watch.text)")
        #expect(watch.process.isRunning)
        watch.stop()
        #expect(f.files().count >= 3, "\(f.files())")
    }

    /// A good run writes the status too: outcome ok, its counts, no error, no next start.
    @Test func theStatusFileAfterAGoodRun() async throws {
        let f = try ICloudPDDownloadFixture(photos: 4)
        let statusPath = f.root + "/status.json"
        let result = try await f.run(["--status-file", statusPath])
        #expect(result.status == 0, "\(result.stderr)")
        let status = try Self.status(statusPath)
        #expect(status["outcome"] == "ok")
        #expect(status["counts"]?["downloaded"]?.intValue == f.files().count, "\(status)")
        #expect(status["counts"]?["errors"] == 0)
        #expect(status["lastError"] == .null && status["nextStart"] == .null)
        #expect(status["lastStart"]?.stringValue != nil && status["lastEnd"]?.stringValue != nil)
        let mode = try FileManager.default.attributesOfItem(atPath: statusPath)[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    /// A wrong password or a locked account ends a watch loop (exit 3); Apple throttling the
    /// sign-in does not: that iteration fails and the loop goes on.
    @Test func signInRefusalsEndTheLoopThrottlingDoesNot() async throws {
        let f = try ICloudPDDownloadFixture(photos: 2)
        let wrong = try await ToolRunner.run("icloudpd", ["--username", ICloudPDDownloadFixture.username, "--password", "not-it",
                                                          "--cookie-directory", f.cookieDirectory, "--directory", f.directory,
                                                          "--watch-with-interval", "1"], environment: f.icloud.endpointEnvironment)
        #expect(wrong.status == 3, "\(wrong.stdout) \(wrong.stderr)")

        let locked = try ICloudPDDownloadFixture(photos: 2) { config in
            config.accounts = [SandboxICloud.Account(username: ICloudPDDownloadFixture.username, password: ICloudPDDownloadFixture.password,
                                                     twoFactor: false, locked: true)]
        }
        let result = try await locked.run(["--watch-with-interval", "1"])
        #expect(result.status == 3, "\(result.stdout) \(result.stderr)")

        f.icloud.setConfig { $0.throttle = true }
        let watch = try Watch(["--username", ICloudPDDownloadFixture.username, "--password", ICloudPDDownloadFixture.password,
                               "--cookie-directory", f.cookieDirectory, "--directory", f.directory, "--no-progress-bar",
                               "--watch-with-interval", "1"], environment: f.icloud.endpointEnvironment, log: f.root + "/throttled.log")
        #expect(try await watch.until { $0.count("This iteration failed") >= 2 }, "\(watch.text)")
        f.icloud.setConfig { $0.throttle = false }
        #expect(try await watch.until { $0.text.contains("Downloaded") }, "\(watch.text)")
        #expect(watch.process.isRunning)
    }
}
