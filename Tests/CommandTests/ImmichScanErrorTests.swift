import Foundation
import Shared
import Testing

/// Bad input and broken servers: one clear message, a distinct exit code, nothing lost.
@Suite struct ImmichScanErrorTests {
    @Test func badRecordsGetErrorsAndTheRestIsStillProcessed() async throws {
        let workspace = try ImmichWorkspace()
        let good = try workspace.write("ok/IMG_1.JPG")
        let input = [
            workspace.record("good", files: [("original", good)]),
            "{\"type\":\"photo\",\"id\":\"broken\"\n",
            workspace.record("size", files: [("huge", good)]),
            workspace.record("relative", files: [("original", "photos/IMG_2.JPG")]),
            workspace.record("outside", files: [("original", "/home/user/downloads/IMG_3.JPG")]),
            workspace.record("hidden", files: [("original", try workspace.write("2004/04/14/.jpg"))]),
        ].joined()
        let result = try await ToolRunner.run("immich-scan", ["--poll-interval", "0.05"], stdin: input, environment: workspace.environment)
        #expect(result.status == ExitCode.partial.rawValue)
        #expect(result.stderr.contains("stdin line 2: malformed JSON"))
        let records = Dictionary(uniqueKeysWithValues: workspace.parseLines(result.stdout).filter { $0["type"] == "photo" }.map {
            ($0["id"]!.stringValue!, $0)
        })
        #expect(records.count == 5, "every parseable record is forwarded")
        #expect(records["good"]?["files"]?["original"]?["asset"] != nil)
        #expect(records["good"]?["errors"] == nil)
        func message(_ id: String) -> String { records[id]?["errors"]?.arrayValue?.first?["message"]?.stringValue ?? "" }
        #expect(message("size").contains("unknown size 'huge' in files"))
        #expect(message("relative").contains("relative path 'photos/IMG_2.JPG'"))
        #expect(message("outside").contains("/home/user/downloads/IMG_3.JPG is outside the library's import paths (\(workspace.photos))"))
        #expect(records["outside"]?["errors"]?.arrayValue?.first?["stage"] == "immich-scan")
        #expect(message("hidden").contains("is hidden (a name in its path starts with '.')"))
        #expect(workspace.immich.scanCount == 1, "one scan, for the good file only")
    }

    @Test func wrongKeyIsAnAuthenticationErrorThatNeverShowsTheKey() async throws {
        let workspace = try ImmichWorkspace()
        var environment = workspace.environment
        environment["IMMICH_API_KEY"] = "wrong-secret-key-123"
        let result = try await ToolRunner.run("immich-scan", [], stdin: "", environment: environment)
        #expect(result.status == ExitCode.authentication.rawValue)
        #expect(result.stderr.contains("Immich rejected the API key"))
        #expect(!result.stderr.contains("wrong-secret-key-123"))
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownOrMalformedLibraryIsNamed() async throws {
        let workspace = try ImmichWorkspace()
        var environment = workspace.environment
        environment["IMMICH_LIBRARY_ID"] = "0d9c1a44-7a56-4a2e-9d4b-1b2c3d4e5f60"
        let unknown = try await ToolRunner.run("immich-scan", [], environment: environment)
        #expect(unknown.status == ExitCode.runtime.rawValue)
        #expect(unknown.stderr.contains("library 0d9c1a44-7a56-4a2e-9d4b-1b2c3d4e5f60 does not exist"))
        let malformed = try await ToolRunner.run("immich-scan", ["--library-id", "abc123"], environment: workspace.environment)
        #expect(malformed.status == ExitCode.usage.rawValue)
        #expect(malformed.stderr.contains("library id 'abc123' is not a UUID"))
    }

    @Test func serverDownIsOneSentence() async throws {
        // A port that was just free: nothing listens there.
        let workspace = try ImmichWorkspace()
        let url = workspace.immich.baseURL
        workspace.immich.stop()
        let result = try await ToolRunner.run("immich-scan", [], environment: workspace.environment.merging(["IMMICH_SERVER_URL": url + "/api/"]) { $1 })
        #expect(result.status == ExitCode.runtime.rawValue)
        #expect(result.stderr.contains("cannot reach Immich"))
        #expect(result.stderr.contains("connection refused"))
        #expect(result.stderr.split(separator: "\n").count <= 2, "\(result.stderr)")
    }

    @Test func missingOptionsAreUsageErrors() async throws {
        let noServer = try await ToolRunner.run("immich-scan", [], environment: ["IMMICH_API_KEY": "k"])
        #expect(noServer.status == ExitCode.usage.rawValue)
        #expect(noServer.stderr.contains("--server-url"))
        let badTimeout = try await ToolRunner.run("immich-scan", ["--scan-timeout", "soon"])
        #expect(badTimeout.status == ExitCode.usage.rawValue)
        #expect(badTimeout.stderr.contains("invalid --scan-timeout 'soon'"))
        let unknown = try await ToolRunner.run("immich-scan", ["--scan-timout", "3"])
        #expect(unknown.status == ExitCode.usage.rawValue)
        #expect(unknown.stderr.contains("did you mean '--scan-timeout'"))
    }

    /// A scan that never finishes: the records come out with an error after the timeout, and the
    /// journal keeps them for the next run.
    @Test func scanThatNeverFinishesKeepsRecordsPending() async throws {
        let workspace = try ImmichWorkspace { $0.scanDurationMs = 60_000 }
        let input = try workspace.photo(1) + workspace.photo(2)
        let run = try ToolPipeline([
            ("immich-batch", ["all", "--log", workspace.journal]),
            ("immich-scan", ["--poll-interval", "0.1", "--scan-timeout", "0.5"]),
            ("immich-batch", ["--commit", "--log", workspace.journal]),
        ], environment: workspace.environment)
        run.write(input)
        let result = await run.finish()
        #expect(result.statuses == [0, 5, 5], "\(result.stderr)")
        #expect(result.stdout.contains(#""pending":2"#))
        #expect(result.stderr.contains("is not registered in Immich after waiting 0.5 s"))
        let pending = try await ToolRunner.run("immich-batch", ["--list", "--log", workspace.journal])
        #expect(pending.lines.count == 2)
        #expect(workspace.immich.scanCount == 1)
    }

    /// Server faults (5xx and dropped connections) are retried; the result is still exact.
    @Test func transientFaultsAreRetried() async throws {
        let workspace = try ImmichWorkspace { $0.failRate = 0.2; $0.dropRate = 0.1; $0.seed = 7 }
        var input = ""
        for index in 0..<20 { input += try workspace.photo(index) }
        let result = try await ToolRunner.run("immich-scan", ["--poll-interval", "0.05"], stdin: input, environment: workspace.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(workspace.parseLines(result.stdout).filter { $0["type"] == "photo" && $0["errors"] == nil }.count == 20)
        #expect(try workspace.assetPaths().count == 40)
    }
}
