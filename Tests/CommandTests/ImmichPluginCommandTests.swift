import Foundation
import Sandbox
import Shared
import Testing

/// `icloudpd --plugin immich` as a user runs it: validation failures before anything is
/// downloaded, the plugin README's real-world command line, and a wrapper killed mid-batch. The
/// downloader is not part of this build, so photo records come from ICLOUDPD_PLUGIN_RECORDS.
@Suite(.serialized) struct ImmichPluginCommandTests {
    static func connection(_ immich: SandboxImmich, library: String? = nil, key: String? = nil) -> [String] {
        ["--plugin", "immich", "--immich-server-url", immich.baseURL, "--immich-api-key", key ?? immich.apiKey,
         "--immich-library-id", library ?? immich.libraryId]
    }

    static func icloudpd(_ arguments: [String], home: String, records: String? = nil) async throws -> ToolRunner.Result {
        var environment = ["HOME": home]
        if let records { environment["ICLOUDPD_PLUGIN_RECORDS"] = records }
        return try await ToolRunner.run("icloudpd", arguments, environment: environment)
    }

    /// Nothing happened in Immich or on disk.
    static func expectUntouched(_ world: StepsWorld) throws {
        #expect(world.mutatingCalls() == [:])
        #expect(!FileManager.default.fileExists(atPath: world.path(".pyicloud/immich_pending_files.json")))
    }

    @Test func unreachableServer() async throws {
        let world = try StepsWorld(version: "2.5.6")
        let result = try await Self.icloudpd(["-d", world.root.path, "-u", "a@b.c", "--plugin", "immich", "--immich-server-url", "http://127.0.0.1:9",
                                              "--immich-api-key", "K", "--immich-library-id", world.immich.libraryId], home: world.root.path)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("icloudpd: error: cannot reach Immich"), "\(result.stderr)")
        #expect(result.stderr.contains("--immich-server-url"))
        try Self.expectUntouched(world)
    }

    @Test func wrongKeyUnknownLibraryAndDirectoryOutside() async throws {
        let world = try StepsWorld(version: "3.2.0") { $0.importPaths = ["/mnt/photos"] }
        let home = world.root.path
        let wrongKey = try await Self.icloudpd(["-d", "/mnt/photos/icloud", "-u", "a@b.c"] + Self.connection(world.immich, key: "not-the-key"), home: home)
        #expect(wrongKey.status == 3, "\(wrongKey.stderr)")
        #expect(wrongKey.stderr.contains("Immich rejected the API key") && !wrongKey.stderr.contains("not-the-key"), "\(wrongKey.stderr)")

        let unknown = UUID().uuidString.lowercased()
        let noLibrary = try await Self.icloudpd(["-d", "/mnt/photos/icloud", "-u", "a@b.c"] + Self.connection(world.immich, library: unknown), home: home)
        #expect(noLibrary.status == 1)
        #expect(noLibrary.stderr.contains("library \(unknown) does not exist"), "\(noLibrary.stderr)")

        // The plugin README's Directory Validation example: import path /mnt/photos.
        let outside = try await Self.icloudpd(["-d", "/home/user/downloads", "-u", "a@b.c"] + Self.connection(world.immich), home: home)
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("Directory validation: /home/user/downloads ✗ not inside any import path (/mnt/photos)"), "\(outside.stderr)")
        #expect(outside.stderr.split(separator: "\n").filter { $0.contains("error:") }.count == 1)

        let empty = world.path("empty.ndjson")
        FileManager.default.createFile(atPath: empty, contents: Data())
        let inside = try await Self.icloudpd(["-d", "/mnt/photos/icloud", "-u", "a@b.c", "--log-level", "info"] + Self.connection(world.immich), home: home, records: empty)
        #expect(inside.status == 0, "\(inside.stderr)")
        #expect(inside.stderr.contains("Directory validation: /mnt/photos/icloud ✓ inside import path /mnt/photos"))
        #expect(inside.stdout.contains(#""type":"summary""#))
        #expect(world.mutatingCalls() == [:])
    }

    @Test(arguments: [
        (["--immich-batch-process", "0"], "--immich-batch-process"),
        (["--immich-favorite", "huge"], "--immich-favorite: unknown size 'huge'"),
        (["--immich-album", "[stacked]:X"], "'stacked' is not a size"),
        (["--immich-scan-timeout", "-5"], "invalid --immich-scan-timeout '-5'"),
        (["--immich-process-existing", "--process-existing-favorites"], "cannot be used together"),
    ])
    func badOptionValues(_ extra: [String], _ message: String) async throws {
        let world = try StepsWorld(version: "2.5.6")
        let result = try await Self.icloudpd(["-d", world.root.path, "-u", "a@b.c"] + Self.connection(world.immich) + extra, home: world.root.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(world.immich.requestCounts()["total"] == nil, "no request before the options are right")
    }

    /// The plugin README's real-world command line pointed at the sandbox, twice; the second day one
    /// more photo is an iCloud favourite.
    @Test func realWorldExampleCommandLine() async throws {
        let world = try StepsWorld(version: "2.5.6") { $0.autoLinkLivePhotos = true }
        let home = world.root.path
        func feed(_ name: String, status: String, favourite: Set<String> = []) throws -> String {
            let path = world.path(name)
            let lines = try ImmichPluginRunTests.records(world, status: status, favourite: favourite).map { $0.json.serialized + "\n" }
            try lines.joined().write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let arguments = [
            "--directory", world.root.path, "--cookie-directory", home + "/.pyicloud", "--username", "me@you.com",
            "--folder-structure", "none", "--set-exif-datetime", "--watch-with-interval", "86400", "--until-found", "1000",
            "--keep-unicode-in-filenames", "--file-match-policy", "name-id7", "--size", "original", "--size", "medium", "--size", "adjusted",
            "--log-level", "debug", "--xmp-sidecar", "--favorite-to-rating", "1",
        ] + Self.connection(world.immich) + [
            "--immich-stack-media", "--immich-favorite", "adjusted", "--process-existing-favorites", "--associate-live-with-extra-sizes",
            "--immich-scan-timeout", "60.0", "--immich-poll-interval", "1.0", "--immich-batch-process", "10",
            "--immich-album", "[adjusted]:iCloud", "--immich-album", "[medium]:iCloud JPG", "--immich-album", "[original]:iCloud Raw",
            // The plugin README's date-based album example, so the exact state of the steps' test applies.
            "--immich-album", "[adjusted]:iCloud/{:%Y/%m}",
        ]
        let first = try await Self.icloudpd(arguments, home: home, records: try feed("day1.ndjson", status: "downloaded"))
        #expect(first.status == 0, "\(first.stderr)")
        try StepsPipelineTests.expectExactState(world)
        #expect(first.stderr.contains("[immich-scan]") && first.stderr.contains("Immich: 4 photo(s) downloaded"), "\(first.stderr)")
        #expect(!first.stderr.contains(world.immich.apiKey))
        let summary = try JSON.parse(first.lines.last ?? "")
        #expect(summary["type"] == "summary" && summary["downloaded"] == 4 && summary["pending"] == 0 && summary["errors"] == 0)

        world.immich.resetCounts()
        let second = try await Self.icloudpd(arguments, home: home, records: try feed("day2.ndjson", status: "existing", favourite: ["P2"]))
        #expect(second.status == 0, "\(second.stderr)")
        #expect(world.mutatingCalls() == ["PUT /api/assets": 1], "\(world.mutatingCalls())")
        let next = try JSON.parse(second.lines.last ?? "")
        #expect(next["existing"] == 4 && next["favoritesOnly"] == 3 && next["skipped"] == 1)
    }

    static func children(of pid: pid_t) -> [pid_t] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [pid_t] in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        // "pid (comm) S …": a zombie has exited.
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(close, offsetBy: 2)...].hasPrefix("Z")
    }

    /// SIGKILL to icloudpd mid-batch: its children die too (nothing can forward a SIGKILL:
    /// PR_SET_PDEATHSIG does it), and the next run replays the journal to the same end state.
    @Test func killedWrapperTakesItsChildrenAndTheRerunCompletes() async throws {
        let workspace = try ImmichWorkspace { $0.latencyMs = 2; $0.scanDurationMs = 30 }
        var lines: [String] = []
        for index in 0..<200 { lines.append(try workspace.photo(index, folder: "2022/\(index % 7)")) }
        let feed = workspace.root + "/records.ndjson"
        try lines.joined().write(toFile: feed, atomically: true, encoding: .utf8)
        let empty = workspace.root + "/empty.ndjson"
        FileManager.default.createFile(atPath: empty, contents: Data())
        let arguments = ["-d", workspace.photos, "-u", "a@b.c", "--plugin", "immich", "--immich-server-url", workspace.immich.baseURL,
                         "--immich-library-id", workspace.immich.libraryId, "--immich-batch-process", "10",
                         "--immich-batch-log-file", workspace.journal, "--immich-poll-interval", "0.02", "--immich-stack-media",
                         "--immich-scan-timeout", "0"]
        let environment = ToolRunner.environment(["HOME": workspace.root, "IMMICH_API_KEY": workspace.immich.apiKey, "ICLOUDPD_PLUGIN_RECORDS": feed])
        var generator = SystemRandomNumberGenerator()
        for round in 0..<3 {
            // First round: scans are held and immich-scan waits for ever, so only the kernel's
            // parent-death signal can end the children (end of input alone would not).
            workspace.immich.setConfig { $0.holdScans = round == 0 }
            let wrapper = Process()
            wrapper.executableURL = ToolRunner.url("icloudpd")
            wrapper.arguments = arguments
            wrapper.environment = environment
            wrapper.standardOutput = FileHandle.nullDevice
            wrapper.standardError = FileHandle.nullDevice
            try wrapper.run()
            // batch, scan, stack and commit; the head may already be done with the whole feed.
            var seen = Set<pid_t>()
            _ = await eventually(timeout: 10) {
                seen.formUnion(Self.children(of: wrapper.processIdentifier))
                return seen.count == 4
            }
            let children = Array(seen)
            #expect(children.count >= 3, "the steps run as children of icloudpd")
            try await Task.sleep(nanoseconds: round == 0 ? 500_000_000 : UInt64.random(in: 50_000_000...600_000_000, using: &generator))
            kill(wrapper.processIdentifier, SIGKILL)
            try await ToolRunner.onThread { wrapper.waitUntilExit() }
            let gone = await eventually(timeout: 5) { children.allSatisfy { !Self.isAlive($0) } }
            #expect(gone, "children outlived the killed wrapper: \(children.filter(Self.isAlive))")
        }
        workspace.immich.setConfig { $0.holdScans = false }
        // A run with nothing new replays what is pending, to an empty journal.
        let replay = try await ToolRunner.run("icloudpd", arguments, environment: ["HOME": workspace.root, "IMMICH_API_KEY": workspace.immich.apiKey,
                                                                                   "ICLOUDPD_PLUGIN_RECORDS": empty])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains(#""pending":0"#), "\(replay.stdout)")
        #expect(try String(contentsOfFile: workspace.journal, encoding: .utf8).isEmpty)
        let paths = try workspace.assetPaths()
        #expect(Set(paths).count == paths.count, "an asset was registered twice")
        // The whole input once more: the same final state as one uninterrupted run.
        let full = try await ToolRunner.run("icloudpd", arguments, environment: ["HOME": workspace.root, "IMMICH_API_KEY": workspace.immich.apiKey,
                                                                                 "ICLOUDPD_PLUGIN_RECORDS": feed])
        #expect(full.status == 0, "\(full.stderr)")
        let finalPaths = try workspace.assetPaths()
        #expect(finalPaths.count == 400 && Set(finalPaths).count == 400)
        let stacks = try JSON.parse(Array(workspace.immich.stateJSON()))["stacks"]?.arrayValue ?? []
        #expect(stacks.count == 200, "one stack per photo")
    }
}
