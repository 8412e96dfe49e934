import Foundation
import Shared
import Testing

/// immich-batch as `icloudpd --plugin immich` runs it: the records of the pass are journaled
/// by icloudpd itself, before their files are renamed into place (`--journaled-by RUN`).
@Suite struct ImmichBatchCommandTests {
    @Test func recordsJournaledByThePassAreNeitherJournaledAgainNorReplayed() async throws {
        let root = NSTemporaryDirectory() + "batch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/pending.json"
        let journal = try PendingJournal(path: path)
        let mine: JSON = ["type": "photo", "id": "A", "files": ["original": ["path": "/p/a.jpg", "status": "downloaded"]], "jid": "icloud:A"]
        let earlier: JSON = ["type": "photo", "id": "B", "files": ["original": ["path": "/p/b.jpg", "status": "downloaded"]], "jid": "icloud:B"]
        try journal.append([journal.add(earlier, jid: "icloud:B", run: "crashed-pass"), journal.add(mine, jid: "icloud:A", run: "this-pass")])

        let result = try await ToolRunner.run("immich-batch", ["10", "--log", path, "--journaled-by", "this-pass"],
                                              stdin: mine.serialized + "\n" + #"{"type":"photo","id":"C","files":{}}"# + "\n")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { try? JSON.parse(String($0)) }
        let photos = lines.compactMap { $0 }.filter { $0["type"] == "photo" }
        // B from the crashed pass is replayed first; A arrives once, through stdin; C (no jid) gets one.
        #expect(photos.map { $0["id"]?.stringValue ?? "" } == ["B", "A", "C"])
        #expect(photos[0]["replayed"] == .bool(true) && photos[1]["replayed"] == nil)
        #expect(photos[1]["jid"] == "icloud:A")
        let adds = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
            .filter { $0["op"] == "add" }
        #expect(adds.filter { $0["jid"] == "icloud:A" }.count == 1, "A journaled once")
        #expect(adds.count == 3)
    }
}
