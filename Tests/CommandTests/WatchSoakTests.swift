import Foundation
import Sandbox
import Shared
import Testing

/// The watch loop under fire: both sandboxes inject 10 % faults; between iterations the iCloud
/// library gains photos, favourites flip and a photo is deleted; Immich answers 503 to
/// everything for a few iterations in the middle (an upgrade) and the download directory
/// vanishes for one. The process never exits, and at the end Immich holds exactly what the
/// library implies and the journal is empty. `SOAK_ITERATIONS` (default 8) makes it long
/// (`scripts/soak.sh`); the figures go to stdout as one `SOAK` line.
@Suite(.serialized) struct WatchSoakTests {
    /// At least 8: the outage and the vanished directory need room.
    static var iterations: Int { max(8, Int(ProcessInfo.processInfo.environment["SOAK_ITERATIONS"] ?? "") ?? 8) }

    static func rssKiB(_ pid: Int32, _ field: String) -> Int {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    @Test func aLongWatchUnderFaultsLosesNothing() async throws {
        let total = Self.iterations
        let world = try EndToEndTests.World(photos: 24)
        world.icloud.icloud.setConfig { $0.library.importableNames = true }
        let statusPath = world.icloud.root + "/status.json"
        let script = try ICloudPDWatchFaultTests.EventScript()
        defer { script.remove() }
        let sizes = ["--size", "original", "--size", "adjusted"]
        let arguments = ["--username", ICloudPDDownloadFixture.username, "--cookie-directory", world.icloud.cookieDirectory,
                         "--directory", world.icloud.directory, "--no-progress-bar", "--watch-with-interval", "1",
                         "--status-file", statusPath, "--notification-script", script.path] + sizes
            + world.plugin(["--immich-favorite", "adjusted", "--process-existing-favorites"])
        let environment = world.icloud.icloud.endpointEnvironment.merging([
            "TZ": "UTC", "IMMICH_API_KEY": world.immich.apiKey, "HOME": world.icloud.root, "ICLOUD_PASSWORD": ICloudPDDownloadFixture.password,
        ]) { $1 }
        world.immich.setConfig { $0.failRate = 0.1 }
        world.icloud.icloud.setConfig { $0.failEvery = 10 }
        let watch = try ICloudPDWatchFaultTests.Watch(arguments, environment: environment, log: world.icloud.root + "/soak.log")
        defer { watch.stop() }
        let pid = watch.process.processIdentifier

        @Sendable func iterationsDone() -> Int { (try? ICloudPDWatchFaultTests.status(statusPath)["iterations"]?.intValue ?? 0) ?? 0 }
        @Sendable func failedSoFar() -> Int { (try? ICloudPDWatchFaultTests.status(statusPath)["failedIterations"]?.intValue ?? 0) ?? 0 }
        var outageFailuresBefore: Int?
        let outageStart = max(3, total / 2), outageEnd = outageStart + 3
        let vanish = max(2, total / 4)
        var rssAt10 = 0
        var added = 0, flipped = 0, deleted = 0
        let parked = world.icloud.root + "/parked"
        var nextFavourite = 0
        for iteration in 1...total {
            let done = iteration
            #expect(try await watch.until(timeout: 120) { _ in iterationsDone() >= done }, "iteration \(done): \(watch.text.suffix(3000))")
            guard watch.process.isRunning else { break }
            if iteration == min(10, total) { rssAt10 = Self.rssKiB(pid, "VmHWM") }
            // The world changes between iterations.
            world.icloud.icloud.setConfig { config in
                config.library.addPhotos(1)
                added += 1
                let count = config.library.count
                while nextFavourite < count, config.library.photo(index: nextFavourite).isFavorite { nextFavourite += 1 }
                if nextFavourite < count {
                    config.library.setFavorite(nextFavourite, true)
                    flipped += 1
                    nextFavourite += 1
                }
                if iteration % 5 == 0 {
                    config.library.delete(iteration)
                    deleted += 1
                }
            }
            // The upgrade: Immich answers 503 to everything from here until it has failed a few
            // iterations (under load a slow iteration may find nothing to send, and pass).
            if iteration == outageStart {
                world.immich.setConfig { $0.failRate = 1 }
                outageFailuresBefore = failedSoFar()
            }
            if let before = outageFailuresBefore, iteration >= outageEnd, failedSoFar() >= before + 3 || iteration == total {
                if iteration == total {
                    #expect(try await watch.until(timeout: 120) { _ in failedSoFar() > before }, "the outage fails an iteration")
                }
                world.immich.setConfig { $0.failRate = 0.1 }
                outageFailuresBefore = nil
            }
            if iteration == vanish {
                try FileManager.default.moveItem(atPath: world.icloud.directory, toPath: parked)
                FileManager.default.createFile(atPath: world.icloud.directory, contents: Data("the mount dropped".utf8))
            }
            if iteration == vanish + 1 {
                try FileManager.default.removeItem(atPath: world.icloud.directory)
                try FileManager.default.moveItem(atPath: parked, toPath: world.icloud.directory)
            }
        }
        // Faults off: two clean iterations in a row with nothing pending.
        world.immich.setConfig { $0.failRate = 0 }
        world.icloud.icloud.setConfig { $0.failEvery = 0 }
        let settled = iterationsDone() + 2
        #expect(try await watch.until(timeout: 120) { _ in
            guard let status = try? ICloudPDWatchFaultTests.status(statusPath) else { return false }
            return (status["iterations"]?.intValue ?? 0) >= settled && status["outcome"] == "ok" && status["counts"]?["pending"] == 0
        }, "\(watch.text.suffix(3000))")
        let alive = watch.process.isRunning
        let rssEnd = Self.rssKiB(pid, "VmHWM")
        let status = try ICloudPDWatchFaultTests.status(statusPath)
        watch.stop()
        #expect(alive, "the process never exits: \(watch.text.suffix(3000))")

        // What the library implies: a full listing's records (every current photo), plus the
        // files of photos deleted in iCloud, which stay on disk and in Immich.
        let final = try await world.icloud.run(sizes + ["--records", "--state-db", world.icloud.root + "/final.sqlite"])
        #expect(final.status == 0, "\(final.stderr)")
        let records = try world.icloud.records(final.stdout)
        let expected = EndToEndTests.Expected(records: records, onlyDownloaded: false)
        let state = try world.state()
        let assets = (state["assets"]?.arrayValue ?? []).filter { $0["isTrashed"] != .bool(true) }
        let paths = Set(assets.compactMap { $0["originalPath"]?.stringValue })
        let onDisk = Set(world.icloud.files().filter { !$0.hasSuffix(".xmp") }.map { world.icloud.directory + "/" + $0 })
        let lost = expected.paths.subtracting(paths).count + onDisk.subtracting(paths).count
        // On failure, what the sandbox holds at those paths (trashed or offline, or nothing) and
        // what the watch said about them: a failure seen once under load is to be understood.
        let absent = expected.paths.subtracting(paths)
        let held = (state["assets"]?.arrayValue ?? []).filter { absent.contains($0["originalPath"]?.stringValue ?? "") }
        let said = watch.text.split(separator: "\n").filter { line in absent.contains { line.contains(($0 as NSString).lastPathComponent) } }
        #expect(absent.isEmpty, "missing in Immich: \(absent); Immich holds \(held.map(\.serialized)); the watch said: \(said.suffix(20))")
        #expect(paths == onDisk, "Immich \(paths.subtracting(onDisk)) vs disk \(onDisk.subtracting(paths))")
        let favourites = Set(assets.filter { $0["isFavorite"] == .bool(true) }.compactMap { $0["originalPath"]?.stringValue })
        #expect(expected.favoritePaths.isSubset(of: favourites), "favourites missing: \(expected.favoritePaths.subtracting(favourites))")
        let journal = (try? String(contentsOfFile: world.icloud.root + "/pending.json", encoding: .utf8)) ?? ""
        #expect(journal.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "the journal is empty: \(journal.prefix(500))")
        let events = script.events
        let failedIterations = status["failedIterations"]?.intValue ?? 0
        let recovered = events.filter { $0 == "recovered" }.count
        // An iteration whose change arrived late has nothing for Immich and passes even during the outage.
        #expect(failedIterations >= 1, "the Immich outage failed iterations: \(status)")
        #expect(recovered >= 1)
        if total >= 50 {
            #expect(Double(rssEnd) <= Double(rssAt10) * 1.10, "peak RSS \(rssEnd) KiB after the last iteration vs \(rssAt10) KiB after iteration 10")
        }
        print("SOAK iterations=\(status["iterations"]?.intValue ?? 0) failed=\(failedIterations) recovered=\(recovered) "
              + "records_lost=\(lost) added=\(added) favourited=\(flipped) deleted=\(deleted) "
              + "peak_rss_kib_iter10=\(rssAt10) peak_rss_kib_end=\(rssEnd) alive=\(alive)")
    }
}
