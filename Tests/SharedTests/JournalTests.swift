import Foundation
import Testing
@testable import Shared

@Suite struct JournalTests {
    func temporaryPath() -> String {
        let directory = NSTemporaryDirectory() + "journal-\(UUID().uuidString)"
        return directory + "/sub/pending.json"
    }

    func record(_ id: String) -> JSON { ["type": "photo", "id": .string(id), "files": [:]] }

    @Test func pendingUntilDoneAndCompactedAway() throws {
        let journal = try PendingJournal(path: temporaryPath())
        try journal.append([journal.add(record("a"), jid: "1"), journal.add(record("b"), jid: "2")])
        try journal.append([journal.done(jid: "1")])
        let result = try journal.compact(countAttempt: false)
        #expect(result.pending.map(\.jid) == ["2"])
        try journal.append([journal.done(jid: "2")])
        #expect(try journal.compact(countAttempt: false).pending.isEmpty)
        #expect(try String(contentsOfFile: journal.path, encoding: .utf8) == "")
        var info = stat()
        stat(journal.path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func tornLastLineIsIgnoredAndFencedOff() throws {
        let path = temporaryPath()
        let journal = try PendingJournal(path: path)
        try journal.append([journal.add(record("a"), jid: "1")])
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        handle.write(Data(#"{"op":"add","jid":"2","rec"#.utf8))
        handle.closeFile()
        let other = try PendingJournal(path: path)  // a new process appending after the crash
        try other.append([other.add(record("c"), jid: "3")])
        let pending = try other.compact(countAttempt: false).pending.map(\.jid)
        #expect(pending == ["1", "3"])
    }

    @Test func repeatedFailuresMoveToFailedFile() throws {
        let journal = try PendingJournal(path: temporaryPath())
        try journal.append([journal.add(record("a"), jid: "1"), journal.add(record("b"), jid: "2")])
        for run in 1...PendingJournal.maxAttempts {
            try journal.append([journal.fail(jid: "1", error: "immich-scan: missing")])
            let result = try journal.compact(countAttempt: true)
            #expect(result.pending.contains { $0.jid == "2" })
            #expect(result.pending.contains { $0.jid == "1" } == (run < PendingJournal.maxAttempts))
        }
        let failed = try String(contentsOfFile: journal.failedPath, encoding: .utf8)
        #expect(failed.contains(#""error":"immich-scan: missing""#))
        #expect(failed.contains(#""attempts":5"#))
    }

    @Test func importsThePythonPluginQueueFile() throws {
        let path = temporaryPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let legacy = """
            [
              {
                "photo_id": "AZy3",
                "files": [
                  {"status": "downloaded", "path": "/mnt/p/IMG_1.HEIC", "size": "original", "is_live": false},
                  {"status": "existed", "path": "/mnt/p/IMG_1_HEVC.MOV", "size": "original", "is_live": true}
                ],
                "is_favorite": true,
                "created": "2024-01-05T23:30:00-05:00",
                "filename": "IMG_1.HEIC"
              }
            ]
            """
        try legacy.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try PendingJournal(path: path).compact(countAttempt: false)
        #expect(result.importedLegacy == 1)
        let record = try #require(result.pending.first?.record)
        #expect(record["id"]?.stringValue == "AZy3")
        #expect(record["favorite"] == .bool(true))
        #expect(record["files"]?["original"]?["path"]?.stringValue == "/mnt/p/IMG_1.HEIC")
        #expect(record["live"]?["original"]?["status"]?.stringValue == "existing")
    }
}

/// The journal entries icloudpd writes itself in plugin mode (`run`, a jid per photo).
@Suite struct PluginJournalEntryTests {
    @Test func aPhotoJournaledAgainAfterDoneIsPendingOnceAndKeepsItsRun() throws {
        let journal = try PendingJournal(path: NSTemporaryDirectory() + "journal-\(UUID().uuidString)/pending.json")
        let photo: JSON = ["type": "photo", "id": "A", "files": [:]]
        try journal.append([journal.add(photo, jid: "icloud:A", run: "r1"), journal.done(jid: "icloud:A")])
        try journal.append([journal.add(photo, jid: "icloud:A", run: "r2"), journal.add(photo, jid: "icloud:B", run: "r2")])
        // The failure of a stale copy, then the record itself again: still one entry.
        try journal.append([journal.fail(jid: "icloud:A", error: "immich-scan: missing"), journal.add(photo, jid: "icloud:A", run: "r3")])
        let pending = try journal.compact(countAttempt: true).pending
        #expect(pending.map(\.jid) == ["icloud:A", "icloud:B"])
        #expect(pending.map(\.run) == ["r3", "r2"])
        #expect(pending.map(\.attempts) == [0, 0])
        // Compaction wrote the runs back.
        let again = try journal.compact(countAttempt: false).pending
        #expect(again.map(\.run) == ["r3", "r2"])
    }
}
