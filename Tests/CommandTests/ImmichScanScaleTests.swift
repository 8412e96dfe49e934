import Foundation
import Shared
import Testing

/// Issue 13: the cost of an `immich-scan` batch does not grow with the library.
@Suite struct ImmichScanScaleTests {
    struct Measure { var seconds: [Double]; var results: [Int]; var requests: [Int]; var rowsRead: [Int] }

    /// A library of `existing` files in one flat folder, registered up front, then `batches`
    /// batches of 10 new photos (2 files each) in the same folder, one after another.
    func measure(version: String, existing: Int, batches: Int) async throws -> Measure {
        let workspace = try ImmichWorkspace(version: version) { $0.autoLinkLivePhotos = true }
        for index in 0..<existing { try workspace.write("all/OLD_\(index).JPG", bytes: 4) }
        try await workspace.immich.scanNow(timeout: 120)
        // The run's first scan reads back what was inserted from 2 s before it: not the seed.
        try await Task.sleep(nanoseconds: 2_500_000_000)
        let run = try ToolPipeline([
            ("immich-batch", ["10", "--log", workspace.journal]),
            ("immich-scan", ["--poll-interval", "0.02", "--scan-timeout", "20"]),
            ("immich-batch", ["--commit", "--log", workspace.journal]),
        ], environment: workspace.environment)
        var measure = Measure(seconds: [], results: [], requests: [], rowsRead: [])
        for batch in 0..<batches {
            var lines = ""
            for index in batch * 10..<(batch + 1) * 10 { lines += try workspace.photo(index, folder: "all") }
            let rows = workspace.immich.searchRowsReadCount()
            let results = workspace.immich.searchResultCount(), requests = workspace.immich.requestCounts()["total"] ?? 0
            let started = Date()
            run.write(lines)
            let done = await eventually(timeout: 30) {
                workspace.immich.scanCount >= batch + 2 && (try? workspace.assetPaths().count) == existing + (batch + 1) * 20
            }
            _ = await workspace.immich.idle(timeout: 10)
            try await Task.sleep(nanoseconds: 300_000_000)
            #expect(done)
            measure.seconds.append(Date().timeIntervalSince(started))
            measure.rowsRead.append(workspace.immich.searchRowsReadCount() - rows)
            measure.results.append(workspace.immich.searchResultCount() - results)
            measure.requests.append((workspace.immich.requestCounts()["total"] ?? 0) - requests)
        }
        // Direct timings: one search with createdAfter, one path search, one scan.
        func curl(_ body: String) -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = ["-s", "-o", "/dev/null", "-w", "%{time_total}", "-X", "POST", "-H", "x-api-key: \(workspace.immich.apiKey)",
                                 "-H", "content-type: application/json", "-d", body, workspace.immich.baseURL + "/api/search/metadata"]
            let pipe = Pipe(); process.standardOutput = pipe
            try? process.run(); process.waitUntilExit()
            return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
        print("SCALE existing=\(existing) createdAfter search: \(curl("{\"createdAfter\":\"2099-01-01T00:00:00.000Z\"}")) s, path search: \(curl("{\"originalPath\":\"/IMG_1.HEIC\"}")) s")
        let scanStart = Date()
        try await workspace.immich.scanNow(timeout: 120)
        print("SCALE existing=\(existing) scan: \(Date().timeIntervalSince(scanStart)) s")
        let result = await run.finish()
        #expect(result.statuses == [0, 0, 0], "\(result.stderr)")
        print("SCALE existing=\(existing) batches: " + result.stderr.split(separator: "\n").filter { $0.contains("registered,") }.map { String($0.suffix(12)) }.joined(separator: " "))
        return measure
    }

    /// 100 vs 5,000 assets already in the batches' folder: each batch of 10 photos (20 new
    /// files) gets back a number of search results and sends a number of requests that depend on
    /// the batch, not on the library (a lookup paging through the folder would read thousands).
    @Test(arguments: ["2.5.6", "3.3.5"])
    func perBatchWorkIsFlat(version: String) async throws {
        let small = try await measure(version: version, existing: 100, batches: 5)
        let large = try await measure(version: version, existing: 5_000, batches: 5)
        print("SCALE \(version) small: \(small)")
        print("SCALE \(version) large: \(large)")
        for measure in [small, large] {
            #expect(measure.results.max()! <= 400, "search results per batch: \(measure.results)")
            // Most are the polls every 20 ms while the batch's scan runs: their number follows the
            // machine's load (16 seen under CI), not the library; paging a folder would be hundreds.
            #expect(measure.requests.dropFirst().max()! <= 25, "requests per batch: \(measure.requests)")
            // The sandbox reads only what its indexes let through (the first batch on v2 looks its
            // files up by path, a substring search that reads every row).
            #expect(measure.rowsRead.dropFirst().max()! <= 1000, "rows read per batch: \(measure.rowsRead)")
        }
    }

    /// A long import keeps new files coming: after a scan that took T, the next one waits T, so
    /// the server scans at most half the time and one scan takes what arrived meanwhile.
    @Test func theNextScanWaitsAsLongAsTheLastOneTook() async throws {
        let workspace = try ImmichWorkspace { $0.scanDurationMs = 500 }
        let run = try ToolPipeline([
            ("immich-batch", ["1", "--log", workspace.journal]),
            ("immich-scan", ["--poll-interval", "0.02", "--scan-timeout", "20"]),
            ("immich-batch", ["--commit", "--log", workspace.journal]),
        ], environment: workspace.environment)
        run.write(try workspace.photo(0))
        #expect(await eventually(timeout: 20) { (try? workspace.assetPaths().count) == 2 })
        // Written after the first scan: only a second scan finds them.
        run.write(try workspace.photo(1) + workspace.photo(2))
        #expect(await eventually(timeout: 20) { (try? workspace.assetPaths().count) == 6 })
        let result = await run.finish()
        #expect(result.statuses == [0, 0, 0], "\(result.stderr)")
        let scans = workspace.immich.scanTimes
        #expect(scans.count == 2, "one scan for both later photos")
        guard scans.count == 2, let firstEnd = scans[0].finished else { return }
        let took = firstEnd.timeIntervalSince(scans[0].requested)
        let gap = scans[1].requested.timeIntervalSince(firstEnd)
        #expect(gap >= took * 0.9, "the second scan \(gap) s after the first, which took \(took) s")
    }
}
