import Foundation
import Shared
import Testing

/// `immich-batch N | immich-scan | immich-batch --commit` as a user runs it, against the
/// sandbox Immich.
@Suite struct ImmichScanPipelineTests {
    func pipeline(_ workspace: ImmichWorkspace, batch: String, scanArguments: [String] = []) throws -> ToolPipeline {
        try ToolPipeline([
            ("immich-batch", [batch, "--log", workspace.journal]),
            ("immich-scan", ["--poll-interval", "0.05", "--scan-timeout", "20"] + scanArguments),
            ("immich-batch", ["--commit", "--log", workspace.journal]),
        ], environment: workspace.environment)
    }

    func summary(_ output: String) -> JSON? {
        output.split(separator: "\n").compactMap { try? JSON.parse(String($0)) }.first { $0["type"]?.stringValue == "summary" }
    }

    /// 1,000 records in batches of 50, each batch's files written just before its records:
    /// every file registered, exactly one scan per batch, and the journal empty afterwards.
    @Test func thousandRecordsRegisterWithOneScanPerBatch() async throws {
        let workspace = try ImmichWorkspace()
        let run = try pipeline(workspace, batch: "50")
        for batch in 0..<20 {
            var lines = ""
            for index in batch * 50..<(batch + 1) * 50 {
                lines += try workspace.photo(index, folder: "2024/\(String(format: "%02d", batch % 12 + 1))/\(batch)")
            }
            run.write(lines)
            let scanned = await eventually { workspace.immich.scanCount >= batch + 1 }
            #expect(scanned, "batch \(batch) was not scanned")
            _ = await workspace.immich.idle(timeout: 10)
        }
        let result = await run.finish()
        #expect(result.statuses == [0, 0, 0], "\(result.stderr)")
        let line = try #require(summary(result.stdout))
        #expect(line["photos"] == 1000)
        #expect(line["filesRegistered"] == 2000)
        #expect(line["errors"] == 0)
        #expect(line["pending"] == 0)
        #expect(line["steps"]?["immich-scan"]?["scans"] == 20)
        #expect(workspace.immich.scanCount == 20)
        #expect(try workspace.assetPaths().count == 2000)
        #expect(try String(contentsOfFile: workspace.journal, encoding: .utf8).isEmpty)
        // Lookup and scan together stay under 0.2 requests per photo.
        let counts = workspace.immich.requestCounts()
        let perPhoto = Double((counts["POST /api/search/metadata"] ?? 0) + (counts["POST /api/libraries/{id}/scan"] ?? 0)) / 1000
        #expect(perPhoto <= 0.2, "\(counts)")
    }

    /// Already registered files are found without a scan, on every supported server version,
    /// including live videos Immich has linked and hidden.
    @Test(arguments: ["1.126.0", "2.5.6", "3.0.0", "3.1.0", "3.2.2", "3.3.5"])
    func secondRunFindsEverythingWithoutScanning(version: String) async throws {
        let workspace = try ImmichWorkspace(version: version) { $0.autoLinkLivePhotos = true }
        var input = ""
        for index in 0..<6 {
            let still = try workspace.write("2023/12/31/IMG_\(index).HEIC")
            let video = try workspace.write("2023/12/31/IMG_\(index).MOV")
            let medium = try workspace.write("2023/12/31/IMG_\(index)-medium.JPG")
            input += workspace.record("p\(index)", files: [("original", still), ("medium", medium)], live: [("original", video)])
        }
        let first = try await ToolRunner.run("immich-scan", ["--poll-interval", "0.05"], stdin: input, environment: workspace.environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(workspace.immich.scanCount == 1)
        _ = await workspace.immich.idle(timeout: 10)
        let hidden = try JSON.parse(Array(workspace.immich.stateJSON()))["assets"]?.arrayValue?.filter { $0["visibility"] == "hidden" }.count
        #expect(hidden == 6, "auto-link should have hidden the live videos")

        let second = try await ToolRunner.run("immich-scan", ["--poll-interval", "0.05"], stdin: input, environment: workspace.environment)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(workspace.immich.scanCount == 1, "no new scan when everything is registered")
        let records = workspace.parseLines(second.stdout).filter { $0["type"] == "photo" }
        #expect(records.count == 6)
        for record in records {
            #expect(record["files"]?["original"]?["asset"]?.stringValue != nil)
            #expect(record["files"]?["medium"]?["asset"]?.stringValue != nil)
            #expect(record["live"]?["original"]?["asset"]?.stringValue != nil, "\(record)")
        }
        let stats = workspace.parseLines(second.stdout).first { $0["type"] == "stats" }
        #expect(stats?["alreadyRegistered"] == 18)
    }

    /// Unknown fields and key order pass through; each file gets its asset id; lines stay in order.
    @Test func annotatesAssetIdsAndPassesEverythingElseThrough() async throws {
        let workspace = try ImmichWorkspace()
        let path = try workspace.write("a/IMG_1.JPG")
        let input = #"{"type":"note","text":"kept"}"# + "\n" +
            #"{"type":"photo","id":"x","x-extra":{"n":1.50},"files":{"original":{"path":"\#(path)","status":"downloaded"},"adjusted":{"path":"\#(path)","status":"existing","fallback":"original"}}}"# + "\n"
        let result = try await ToolRunner.run("immich-scan", ["--poll-interval", "0.05"], stdin: input, environment: workspace.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = workspace.parseLines(result.stdout)
        #expect(lines.first == (try JSON.parse(#"{"type":"note","text":"kept"}"#)))
        let record = try #require(lines.first { $0["type"] == "photo" })
        #expect(record.serialized.hasPrefix(#"{"type":"photo","id":"x","x-extra":{"n":1.50},"files":{"original":{"path":"#))
        let original = record["files"]?["original"]?["asset"]?.stringValue
        #expect(original != nil)
        #expect(record["files"]?["adjusted"]?["asset"]?.stringValue == original, "two sizes sharing a file are one asset")
        #expect(workspace.immich.scanCount == 1)
    }

    @Test func pathMapTranslatesLocalPathsToTheServersView() async throws {
        let workspace = try ImmichWorkspace()
        let real = try workspace.write("mapped/IMG_9.JPG")
        let local = workspace.root + "/local"
        try FileManager.default.createSymbolicLink(atPath: local, withDestinationPath: workspace.photos)
        let input = workspace.record("m", files: [("original", local + "/mapped/IMG_9.JPG")])
        let unmapped = try await ToolRunner.run("immich-scan", ["--poll-interval", "0.05"], stdin: input, environment: workspace.environment)
        #expect(unmapped.status == 5)
        #expect(unmapped.stdout.contains("outside the library's import paths (\(workspace.photos))"))
        let mapped = try await ToolRunner.run("immich-scan", ["--poll-interval", "0.05", "--path-map", "\(local)=\(workspace.photos)"],
                                              stdin: input, environment: workspace.environment)
        #expect(mapped.status == 0, "\(mapped.stderr)")
        #expect(mapped.stdout.contains(#""asset":"#))
        #expect(try workspace.assetPaths() == [real])
    }

    @Test func dryRunLooksButNeverScans() async throws {
        let workspace = try ImmichWorkspace()
        let input = try workspace.photo(1)
        let result = try await ToolRunner.run("immich-scan", ["--dry-run"], stdin: input, environment: workspace.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("would scan library"))
        #expect(workspace.immich.scanCount == 0)
        #expect(!result.stdout.contains("errors"))
    }

    /// One flat folder (icloudpd --folder-structure none), unedited photos whose adjusted size
    /// falls back to the original's file, batches of 5 written as they go: what a batch's
    /// lookups return stays flat however big the folder gets (the assets a search returns are
    /// proportional to the files of the run), on every search shape.
    @Test(.serialized, arguments: ["1.126.0", "2.5.6", "3.1.0", "3.3.5"])
    func flatFolderLookupsCostTheBatchNotTheFolder(version: String) async throws {
        let workspace = try ImmichWorkspace(version: version)
        // A library that already holds 1,000 files in the same folder, registered a while ago.
        for index in 0..<1000 { try workspace.write("flat/OLD_\(index).JPG", bytes: 4) }
        workspace.immich.setConfig { $0.scanDurationMs = 0 }
        try await workspace.immich.scanNow()
        try await Task.sleep(nanoseconds: 3_500_000_000)
        workspace.immich.resetCounts()
        let run = try pipeline(workspace, batch: "5", scanArguments: ["--poll-interval", "0.2"])
        let photos = 60
        for batch in 0..<photos / 5 {
            var lines = ""
            for index in batch * 5..<(batch + 1) * 5 {
                let original = try workspace.write("flat/IMG_\(index).HEIC")
                let medium = try workspace.write("flat/IMG_\(index)-medium.JPG", bytes: 8)
                var object: JSONObject = ["type": "photo", "id": .string("photo-\(index)"), "created": "2024-01-15T14:03:22-08:00", "favorite": false]
                object["files"] = ["original": ["path": .string(original), "status": "downloaded"],
                                   "medium": ["path": .string(medium), "status": "downloaded"],
                                   "adjusted": ["path": .string(original), "status": "existing", "fallback": "original"]]
                lines += JSON.object(object).serialized + "\n"
            }
            run.write(lines)
            let scanned = await eventually { workspace.immich.scanCount >= batch + 2 }
            #expect(scanned, "batch \(batch) was not scanned")
            _ = await workspace.immich.idle(timeout: 10)
        }
        let result = await run.finish()
        #expect(result.statuses == [0, 0, 0], "\(result.stderr)")
        #expect(summary(result.stdout)?["filesRegistered"] == .int(photos * 3))
        // The first batch may read the folder once (1,000); after it, each file is read a few
        // times at most (reading the folder per batch would be 12 × 1,000).
        let results = workspace.immich.searchResultCount()
        #expect(results <= 1000 + photos * 2 * 15, "\(results) search results for \(photos * 2) files")
    }

    /// A file already on disk (`existing`: a shared name, a photo handled again) that this
    /// run's scan registered is found among the inserted assets already read: no per-file path
    /// search, on the flat-search versions (v3.2+ looks batches up by exact path anyway).
    @Test(arguments: ["1.126.0", "2.5.6", "3.1.0"])
    func existingFilesRegisteredThisRunNeedNoPathLookup(version: String) async throws {
        let workspace = try ImmichWorkspace(version: version)
        let run = try ToolPipeline([
            ("immich-batch", ["2", "--log", workspace.journal]),
            ("immich-scan", ["--poll-interval", "0.05", "--scan-timeout", "20"]),
        ], environment: workspace.environment)
        let first = try workspace.photo(1, folder: "flat") + workspace.photo(2, folder: "flat")
        run.write(first)
        #expect(await eventually { (try? workspace.assetPaths().count) == 4 })
        // The poll that finds them comes within 0.05 s.
        try await Task.sleep(nanoseconds: 1_000_000_000)
        workspace.immich.resetCounts()
        run.write(first.replacingOccurrences(of: "\"downloaded\"", with: "\"existing\"")
            .replacingOccurrences(of: "photo-", with: "again-"))
        let result = await run.finish()
        #expect(result.statuses == [0, 0], "\(result.stderr)")
        let records = workspace.parseLines(result.stdout).filter { $0["type"]?.stringValue == "photo" }
        #expect(records.count == 4)
        #expect(records.allSatisfy { $0["files"]?["original"]?["asset"] != nil && $0["files"]?["medium"]?["asset"] != nil })
        #expect(workspace.immich.requestCounts()["POST /api/search/metadata"] == nil, "\(workspace.immich.requestCounts())")
        #expect(workspace.immich.scanCount == 1)
    }

    /// v3.2+: a `filter` search also matches trashed assets; a trashed asset at the file's path
    /// is not taken for a registered one, so the scan runs and brings the asset back.
    @Test(arguments: ["3.2.0", "3.3.5"])
    func aTrashedAssetIsNotTheLiveOne(version: String) async throws {
        let workspace = try ImmichWorkspace(version: version)
        workspace.immich.setConfig { $0.scanDurationMs = 0 }
        let path = try workspace.write("2024/IMG_1.HEIC")
        try await workspace.immich.scanNow()
        try FileManager.default.removeItem(atPath: path)
        try await workspace.immich.scanNow()
        #expect(try workspace.assetPaths().isEmpty)  // trashed
        try workspace.write("2024/IMG_1.HEIC")
        let result = try await runPipeline([("immich-scan", ["--poll-interval", "0.05", "--scan-timeout", "20"])],
                                           input: workspace.record("p1", files: [("original", path)]).replacingOccurrences(of: "downloaded", with: "existing"),
                                           environment: workspace.environment)
        #expect(result.statuses == [0], "\(result.stderr)")
        #expect(result.lines.first?["files"]?["original"]?["asset"] != nil)
        #expect(workspace.immich.scanCount == 3)
        #expect(try workspace.assetPaths() == [path])
    }
}
