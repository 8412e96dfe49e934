import Foundation
import Sandbox
import Shared
import Testing

/// Records, resume, kills, --until-found and failures of icloudpd downloads.
@Suite struct ICloudPDDownloadBehaviourTests {
    @Test func recordsOnStdoutLogsOnStderr() async throws {
        let f = try ICloudPDDownloadFixture(photos: 16)
        let result = try await f.run(["--size", "original", "--size", "adjusted", "--size", "medium", "--records"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("Downloading 16 original,adjusted,medium photos and videos"))
        let records = try f.records(result.stdout)
        #expect(records.count == 16)
        func record(_ index: Int) -> JSON? { records.first { $0["id"]?.stringValue == f.library.photo(index: index).masterName } }
        let root = f.directory + "/"
        // Edited JPEG: three files of its own.
        let edited = try #require(record(3))
        #expect(edited["kind"] == "image")
        #expect(edited["files"]?["original"]?["path"]?.stringValue == root + f.folder(3) + "/IMG_0003.JPG")
        #expect(edited["files"]?["adjusted"]?["path"]?.stringValue == root + f.folder(3) + "/IMG_0003-adjusted.JPG")
        #expect(edited["files"]?["medium"]?["path"]?.stringValue == root + f.folder(3) + "/IMG_0003-medium.JPG")
        #expect(edited["files"]?["adjusted"]?["status"] == "downloaded")
        // Unedited: adjusted falls back to the original's file.
        let plain = try #require(record(1))
        #expect(plain["files"]?["adjusted"]?["path"] == plain["files"]?["original"]?["path"])
        #expect(plain["files"]?["adjusted"]?["fallback"] == "original")
        // Live photo, favourite, created in its own offset (index 0: UTC-8).
        let live = try #require(record(0))
        #expect(live["favorite"] == true)
        #expect(live["live"]?["original"]?["path"]?.stringValue == root + f.folder(0) + "/IMG_0000_HEVC.MOV")
        #expect(live["created"]?.stringValue?.hasSuffix("-08:00") == true)
        #expect(record(5)?["kind"] == "video")
        // The HEIC edit's adjusted JPEG has its own name (no suffix needed).
        #expect(record(2)?["files"]?["adjusted"]?["path"]?.stringValue == root + f.folder(2) + "/IMG_0002.JPG")

        let again = try await f.run(["--records"])
        let second = try f.records(again.stdout)
        #expect(second.count == 16)
        #expect(second.allSatisfy { $0["files"]?["original"]?["status"] == "existing" })
    }

    @Test func resumesALeftoverPartFileWithRange() async throws {
        let f = try ICloudPDDownloadFixture(photos: 2)
        let content = try #require(f.library.content(index: 1, prefix: "resOriginal"))
        let folder = f.directory + "/" + f.folder(1)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let part = folder + "/" + FileJob.partName(checksum: f.library.checksum(index: 1, prefix: "resOriginal"))
        try content.prefix(1000).write(to: URL(fileURLWithPath: part))
        let result = try await f.run([])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(f.bytes(f.folder(1) + "/IMG_0001.JPG") == content)
        #expect(!FileManager.default.fileExists(atPath: part))
        let ranges = f.icloud.rangeHeaders.filter { $0.file == "PrimarySync/1/resOriginal" }.map(\.range)
        #expect(ranges == ["bytes=1000-"])
        #expect(f.icloud.rangeHeaders.filter { $0.file == "PrimarySync/0/resOriginal" }.map(\.range) == ["bytes=0-"])
    }

    @Test func killedRunResumesAndFinishes() async throws {
        let f = try ICloudPDDownloadFixture(photos: 48) { $0.latencyMs = 40 }
        let arguments = ["--username", ICloudPDDownloadFixture.username, "--password", ICloudPDDownloadFixture.password,
                         "--cookie-directory", f.cookieDirectory, "--directory", f.directory, "--threads-num", "2"]
        let environment = f.icloud.endpointEnvironment.merging(["TZ": "UTC"]) { $1 }
        let partial: Int = try await ToolRunner.onThread {
            let process = Process()
            process.executableURL = ToolRunner.url("icloudpd")
            process.arguments = arguments
            process.environment = ToolRunner.environment(environment)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while f.files().filter({ !$0.hasSuffix(".part") }).count < 6 && Date() < deadline { usleep(20_000) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return f.files().filter { !$0.hasSuffix(".part") }.count
        }
        let expected = ICloudPDDownloadTests.expectedOriginals(f)
        #expect(partial >= 6 && partial < expected.count)
        f.icloud.setConfig { $0.latencyMs = 0 }
        f.icloud.resetCounts()
        let result = try await f.run([])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(f.files() == expected.map(\.0).sorted())
        for (path, index, prefix) in expected { #expect(f.bytes(path) == f.library.content(index: index, prefix: prefix), "\(path)") }
        #expect(f.count("GET /content") <= expected.count - partial + 2)  // at most the files in flight at the kill again
    }

    @Test func untilFoundStopsAfterTheNewPhotos() async throws {
        let f = try ICloudPDDownloadFixture(photos: 150)
        let first = try await f.run(["--log-level", "info", "--state-db", f.root + "/first.sqlite"])
        #expect(first.status == 0, "\(first.stderr)")
        f.icloud.setConfig { $0.library.count = 160 }
        f.icloud.resetCounts()
        // A state database without a change token: --until-found shapes the listing, as in icloudpd.
        let second = try await f.run(["--until-found", "3", "--state-db", f.root + "/second.sqlite"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("Downloading ??? original photos and videos"))
        #expect(second.stdout.contains("Found 3 consecutive previously downloaded photos. Exiting"))
        let newFiles = ICloudPDDownloadTests.expectedOriginals(f).filter { $0.1 >= 150 }
        #expect(f.count("GET /content") == newFiles.count)
        for (path, _, _) in newFiles { #expect(f.bytes(path) != nil, "\(path)") }
        // CheckIndexingState, albums and a single page; the 3 albums' members (2 pages each: 150 photos, 100 a page, at most 30 in an album).
        #expect(f.count("POST /database/1/com.apple.photos.cloud/production/private/records/query") == 3 + 3 * 2)
    }

    /// --until-found pages on sequentially while it has not found enough existing photos (it
    /// only forgoes the prefetch): a fresh folder of 250 photos is downloaded whole.
    @Test func untilFoundListsEveryPageUntilItStops() async throws {
        let f = try ICloudPDDownloadFixture(photos: 250)
        let run = try await f.run(["--until-found", "1000"])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = ICloudPDDownloadTests.expectedOriginals(f)
        #expect(f.count("GET /content") == expected.count)
        for (path, _, _) in expected { #expect(f.bytes(path) != nil, "\(path)") }
    }

    @Test func retriesThenReportsFailedPhotosAndRetriesThemNextRun() async throws {
        let f = try ICloudPDDownloadFixture(photos: 16) {
            $0.contentFaults.failFirst = 1
            $0.contentFaults.dropFirst = 1
            $0.contentFaults.alwaysFailing = [1]
            $0.contentFaults.alwaysFailingStatus = 403
        }
        let first = try await f.run([])
        #expect(first.status == 5, "\(first.stderr)")
        #expect(first.stdout.contains("1 photo(s) could not be downloaded") && first.stdout.contains("IMG_0001.JPG"), "\(first.stdout)")
        let expected = ICloudPDDownloadTests.expectedOriginals(f)
        #expect(f.files() == expected.map(\.0).filter { !$0.hasSuffix("IMG_0001.JPG") }.sorted())
        f.icloud.setConfig { $0.contentFaults = SandboxContentFaults() }
        f.icloud.resetCounts()
        let second = try await f.run([])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(f.count("GET /content") == 1)
        #expect(f.files() == expected.map(\.0).sorted())
    }

    @Test func dryRunAndOnlyPrintFilenamesSendNoDownloads() async throws {
        let f = try ICloudPDDownloadFixture(photos: 16)
        let dry = try await f.run(["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("[DRY RUN] Would download"))
        let printed = try await f.run(["--only-print-filenames"])
        #expect(printed.status == 0, "\(printed.stderr)")
        // Nothing is written, so the older IMG_SAME.JPG is not deduplicated (as in icloudpd).
        let expected = ICloudPDDownloadTests.expectedOriginals(f).map { f.directory + "/" + $0.0 }.filter { !$0.contains("IMG_SAME-") }
        #expect(Set(printed.lines) == Set(expected))
        #expect(f.count("GET /content") == 0)
        #expect(f.files().isEmpty)
    }
}
