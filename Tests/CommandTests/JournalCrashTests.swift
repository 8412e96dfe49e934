import Foundation
import Shared
import Testing

/// The journal under the worst a machine does: `kill -9` at random moments, concurrent
/// writers, a rerun. Nothing that entered the journal is lost; nothing is registered twice.
@Suite struct JournalCrashTests {
    func addedIds(_ journal: String) -> Set<String> {
        guard let text = try? String(contentsOfFile: journal, encoding: .utf8) else { return [] }
        var ids = Set<String>()
        for line in text.split(separator: "\n") {
            guard let entry = try? JSON.parse(String(line)), entry["op"] == "add",
                  let id = entry["record"]?["id"]?.stringValue else { continue }
            ids.insert(id)
        }
        return ids
    }

    @Test func killedPipelinesLoseNothingAndDuplicateNothing() async throws {
        let workspace = try ImmichWorkspace { $0.latencyMs = 2; $0.scanDurationMs = 30 }
        var lines: [String: String] = [:]
        for index in 0..<200 { lines["photo-\(index)"] = try workspace.photo(index, folder: "2022/\(index % 7)") }
        let input = lines.keys.sorted().map { lines[$0]! }.joined()
        var everJournaled = Set<String>()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<4 {
            let run = try ToolPipeline([
                ("immich-batch", ["10", "--log", workspace.journal]),
                ("immich-scan", ["--poll-interval", "0.02"]),
                ("immich-batch", ["--commit", "--log", workspace.journal]),
            ], environment: workspace.environment)
            run.write(input)
            try await Task.sleep(nanoseconds: UInt64.random(in: 30_000_000...400_000_000, using: &generator))
            run.killAll()
            _ = await run.finish()
            everJournaled.formUnion(addedIds(workspace.journal))
            #expect(round >= 0)
        }
        // A rerun with no new input replays what is pending.
        let replay = try ToolPipeline([
            ("immich-batch", ["10", "--log", workspace.journal]),
            ("immich-scan", ["--poll-interval", "0.02"]),
            ("immich-batch", ["--commit", "--log", workspace.journal]),
        ], environment: workspace.environment)
        let replayed = await replay.finish()
        #expect(replayed.statuses == [0, 0, 0], "\(replayed.stderr)")
        #expect(replayed.stdout.contains(#""pending":0"#), "\(replayed.stdout)")
        #expect(try String(contentsOfFile: workspace.journal, encoding: .utf8).isEmpty)
        // Everything that ever entered the journal is now registered, once.
        let paths = try workspace.assetPaths()
        #expect(Set(paths).count == paths.count, "an asset was registered twice")
        for id in everJournaled {
            let index = Int(id.dropFirst("photo-".count))!
            #expect(paths.contains { $0.hasSuffix("/IMG_\(index).HEIC") }, "\(id) was journaled but never registered")
        }
        // And feeding the whole input again completes the rest, still without duplicates.
        let full = try ToolPipeline([
            ("immich-batch", ["50", "--log", workspace.journal]),
            ("immich-scan", ["--poll-interval", "0.02"]),
            ("immich-batch", ["--commit", "--log", workspace.journal]),
        ], environment: workspace.environment)
        full.write(input)
        let finished = await full.finish()
        #expect(finished.statuses == [0, 0, 0], "\(finished.stderr)")
        let finalPaths = try workspace.assetPaths()
        #expect(finalPaths.count == 400)
        #expect(Set(finalPaths).count == 400)
    }

    /// Two batchers and a committer appending to one journal at once, with compactions in
    /// between: every record is there exactly once and every line parses.
    @Test func concurrentWritersNeverCorruptTheJournal() async throws {
        let directory = NSTemporaryDirectory() + "journal-\(UUID().uuidString.prefix(8))"
        let journal = directory + "/j.json"
        func input(_ prefix: String) -> String {
            (0..<400).map { #"{"type":"photo","id":"\#(prefix)-\#($0)","files":{}}"# + "\n" }.joined()
        }
        async let first = ToolRunner.run("immich-batch", ["5", "--log", journal], stdin: input("a"))
        async let second = ToolRunner.run("immich-batch", ["7", "--log", journal], stdin: input("b"))
        async let lister = ToolRunner.run("immich-batch", ["--list", "--log", journal])
        let (a, b, _) = try await (first, second, lister)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        // Commit half of the records the first batcher forwarded, concurrently with a third writer.
        let forwarded = a.lines.filter { $0.contains(#""type":"photo""#) }
        async let commit = ToolRunner.run("immich-batch", ["--commit", "--log", journal], stdin: forwarded.prefix(200).joined(separator: "\n") + "\n")
        async let third = ToolRunner.run("immich-batch", ["all", "--log", journal], stdin: input("c"))
        let (committed, c) = try await (commit, third)
        #expect(committed.status == 0 && c.status == 0)
        let text = try String(contentsOfFile: journal, encoding: .utf8)
        for line in text.split(separator: "\n") { #expect((try? JSON.parse(String(line))) != nil, "corrupt line \(line)") }
        let pending = try await ToolRunner.run("immich-batch", ["--list", "--log", journal])
        let ids = pending.lines.compactMap { try? JSON.parse($0)["id"]?.stringValue }
        // A batcher replays what is pending when it starts, including records another live
        // batcher just journaled: the committed 200 may be anyone's, each counted once.
        let committedIds = Set(forwarded.prefix(200).compactMap { try? JSON.parse($0)["id"]?.stringValue })
        let all = Set(["a", "b", "c"].flatMap { prefix in (0..<400).map { "\(prefix)-\($0)" } })
        #expect(Set(ids).count == ids.count, "a record is listed twice")
        #expect(Set(ids) == all.subtracting(committedIds))
        #expect(committedIds.count == 200)
    }
}
