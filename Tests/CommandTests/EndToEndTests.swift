import Foundation
import Sandbox
import Shared
import Testing

/// `icloudpd --plugin immich` as a user runs it, with both sandbox servers: the fake iCloud's
/// library is downloaded and lands in the fake Immich exactly as the records say it should.
@Suite(.serialized) struct EndToEndTests {
    final class World: @unchecked Sendable {
        // @unchecked: used from one test at a time.
        let icloud: ICloudPDDownloadFixture
        let immich: SandboxImmich

        init(photos: Int) throws {
            icloud = try ICloudPDDownloadFixture(photos: photos)
            immich = try SandboxImmich.started(importPath: icloud.root, scanDurationMs: 30) { $0.autoLinkLivePhotos = true }
        }

        deinit { immich.stop() }

        func plugin(_ extra: [String]) -> [String] {
            ["--plugin", "immich", "--immich-server-url", immich.baseURL, "--immich-library-id", immich.libraryId,
             "--immich-poll-interval", "0.05", "--immich-batch-log-file", icloud.root + "/pending.json"] + extra
        }

        func run(_ arguments: [String]) async throws -> ToolRunner.Result {
            try await icloud.run(arguments, environment: ["IMMICH_API_KEY": immich.apiKey, "HOME": icloud.root])
        }

        func state() throws -> JSON { try JSON.parse(Array(immich.stateJSON())) }

        func mutatingCalls() -> [String: Int] {
            // POST /search/metadata is a query.
            immich.requestCounts().filter {
                ($0.key.hasPrefix("POST") || $0.key.hasPrefix("PUT") || $0.key.hasPrefix("DELETE")) && !$0.key.contains("/search/")
            }
        }
    }

    /// What Immich must hold for these records: one asset per distinct visible file, one stack per
    /// photo with two or more distinct still images, the adjusted (or its fallback) file of each
    /// favourite marked (videos too), and the adjusted file of each photo in its month's album.
    struct Expected {
        var paths = Set<String>()
        var stackSets = Set<Set<String>>()
        var stacks: Int { stackSets.count }
        var stackedPaths: Set<String> { stackSets.reduce(into: Set<String>()) { $0.formUnion($1) } }
        var favoritePaths = Set<String>()
        var albumPaths: [String: Set<String>] = [:]

        /// `onlyDownloaded`: without --immich-process-existing, photos whose files all existed
        /// already (e.g. an exact twin of another photo) are left out of the pipeline.
        init(records: [JSON], onlyDownloaded: Bool) {
            for record in records where record["type"] == "photo" {
                let statuses = [record["files"], record["live"]].compactMap { $0?.objectValue }.flatMap(\.members).compactMap { $0.value["status"]?.stringValue }
                if onlyDownloaded && !statuses.contains("downloaded") { continue }
                let stills = (record["files"]?.objectValue?.members ?? []).compactMap { $0.value["path"]?.stringValue }
                let videos = (record["live"]?.objectValue?.members ?? []).compactMap { $0.value["path"]?.stringValue }
                let visible = { (path: String) in !path.split(separator: "/").contains { $0.hasPrefix(".") } }
                paths.formUnion((stills + videos).filter(visible))
                // Videos are never stacked.
                let distinctStills = Set(stills.filter { visible($0) && !AssetLookup.isVideo($0) })
                // Twins share their files, and so their stack.
                if distinctStills.count >= 2 { stackSets.insert(distinctStills) }
                guard let adjusted = record["files"]?["adjusted"]?["path"]?.stringValue, visible(adjusted) else { continue }
                if record["favorite"] == .bool(true) { favoritePaths.insert(adjusted) }
                let created = record["created"]?.stringValue ?? ""
                let album = "iCloud/" + created.prefix(7).replacingOccurrences(of: "-", with: "/")
                albumPaths[album, default: []].insert(adjusted)
            }
        }
    }

    func check(_ world: World, against expected: Expected) throws {
        let state = try world.state()
        let assets = (state["assets"]?.arrayValue ?? []).filter { $0["isTrashed"] != .bool(true) }
        let pathOf = Dictionary(uniqueKeysWithValues: assets.compactMap { asset in
            asset["id"]?.stringValue.flatMap { id in asset["originalPath"]?.stringValue.map { (id, $0) } }
        })
        #expect(Set(pathOf.values) == expected.paths)
        let stacked = Set((state["stacks"]?.arrayValue ?? []).flatMap { ($0["assetIds"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { pathOf[$0] } } })
        #expect(state["stacks"]?.arrayValue?.count == expected.stacks, "unstacked: \(expected.stackedPaths.subtracting(stacked))")
        let favourites = Set(assets.filter { $0["isFavorite"] == .bool(true) }.compactMap { $0["originalPath"]?.stringValue })
        #expect(favourites == expected.favoritePaths, "extra \(favourites.subtracting(expected.favoritePaths)), missing \(expected.favoritePaths.subtracting(favourites))")
        var albums: [String: Set<String>] = [:]
        for album in state["albums"]?.arrayValue ?? [] {
            let name = album["albumName"]?.stringValue ?? ""
            albums[name] = Set((album["assetIds"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { pathOf[$0] } })
        }
        for name in Set(albums.keys).union(expected.albumPaths.keys) {
            let have = albums[name] ?? [], want = expected.albumPaths[name] ?? []
            #expect(have == want, "album \(name): extra \(have.subtracting(want)), missing \(want.subtracting(have))")
        }
    }

    @Test func downloadsRegisterStackFavouriteAndFileThenASecondRunChangesNothing() async throws {
        let world = try World(photos: 36)
        let records = world.icloud.root + "/records.ndjson"
        let options = ["--size", "original", "--size", "medium", "--size", "adjusted", "--records", records]
            + world.plugin(["--immich-stack-media", "--immich-favorite", "adjusted", "--associate-live-with-extra-sizes",
                            "--immich-album", "[adjusted]:iCloud/{:%Y/%m}", "--immich-batch-process", "10"])
        let first = try await world.run(options)
        #expect([0, 5].contains(first.status), "\(first.stderr)")
        let written = try String(contentsOfFile: records, encoding: .utf8).split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
        #expect(written.count == 36)
        let expected = Expected(records: written, onlyDownloaded: true)
        #expect(expected.stacks > 10 && !expected.favoritePaths.isEmpty)
        try check(world, against: expected)
        let summary = try #require(first.stdout.split(separator: "\n").compactMap { try? JSON.parse(String($0)) }.last { $0["type"] == "summary" })
        #expect(summary["steps"]?["immich-stack"]?["stacksCreated"]?.intValue == expected.stacks)

        // The same command again: nothing to download, nothing new for Immich.
        world.immich.resetCounts()
        let second = try await world.run(options)
        #expect([0, 5].contains(second.status), "\(second.stderr)")
        #expect(second.stderr.contains("already exist") || !second.stderr.contains("Downloading"))
        #expect(world.mutatingCalls().isEmpty, "\(world.mutatingCalls())")
        try check(world, against: expected)
    }

    /// The icloudpd Immich plugin's one-time full sync: an existing icloudpd folder and an empty
    /// Immich library; --immich-process-existing sends every photo through the pipeline,
    /// downloading nothing.
    @Test func fullSyncOfAnExistingFolderWithProcessExisting() async throws {
        let world = try World(photos: 24)
        let records = world.icloud.root + "/records.ndjson"
        let sizes = ["--size", "original", "--size", "medium", "--size", "adjusted"]
        let download = try await world.run(sizes + ["--records", records])
        #expect(download.status == 0, "\(download.stderr)")
        let expected = Expected(records: try String(contentsOfFile: records, encoding: .utf8).split(separator: "\n").compactMap { try? JSON.parse(String($0)) },
                                onlyDownloaded: false)

        let steps = ["--immich-stack-media", "--immich-favorite", "adjusted", "--immich-album", "[adjusted]:iCloud/{:%Y/%m}"]
        let withoutExisting = try await world.run(sizes + world.plugin(steps))
        #expect(withoutExisting.status == 0, "\(withoutExisting.stderr)")
        #expect(world.immich.scanCount == 0, "existing photos are left out without --immich-process-existing")

        let sync = try await world.run(sizes + world.plugin(steps + ["--immich-process-existing", "--immich-batch-process", "all"]))
        #expect([0, 5].contains(sync.status), "\(sync.stderr)")
        #expect(world.immich.scanCount == 1, "one batch, one scan")
        try check(world, against: expected)
    }

    /// --watch-with-interval: every pass feeds its own pipeline (the icloudpd Immich plugin went silent
    /// after the first one): two passes, two summaries, and the second pass finds nothing to do.
    @Test func everyWatchIterationFeedsThePipeline() async throws {
        let world = try World(photos: 12)
        let arguments = ["--username", ICloudPDDownloadFixture.username, "--password", ICloudPDDownloadFixture.password,
                         "--cookie-directory", world.icloud.cookieDirectory, "--directory", world.icloud.directory,
                         "--no-progress-bar", "--watch-with-interval", "1"]
            + world.plugin(["--immich-stack-media", "--immich-batch-process", "all"])
        let environment = world.icloud.icloud.endpointEnvironment.merging(["TZ": "UTC", "IMMICH_API_KEY": world.immich.apiKey, "HOME": world.icloud.root]) { $1 }
        let output = try await Self.runUntilSummaries(2, arguments: arguments, environment: environment)
        let summaries = output.split(separator: "\n").compactMap { try? JSON.parse(String($0)) }.filter { $0["type"] == "summary" }
        #expect(summaries.count == 2, "\(output)")
        #expect((summaries.first?["downloaded"]?.intValue ?? 0) > 0)
        #expect(summaries.last?["downloaded"] == 0)
        #expect(summaries.last?["steps"]?["immich-scan"] == nil || summaries.last?["steps"]?["immich-scan"]?["scans"] == 0)
    }

    /// A photo that ends with an error gets one WARNING line (photo, file, reason): here the
    /// all-non-ASCII name icloudpd turns into a hidden `.jpg`, which Immich's scan never imports.
    /// With names Immich imports (the demo's library) the same run is clean.
    @Test func aPhotoWithAnErrorGetsAWarningLineAndImportableNamesRunClean() async throws {
        let hidden = try World(photos: 12)  // photo 10 has the all-non-ASCII name
        let arguments = ["--no-progress-bar"] + hidden.plugin([])
        let result = try await hidden.run(arguments)
        #expect(result.status == 5, "\(result.stderr)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("WARNING") && $0.contains("is hidden") }
        #expect(warnings.count == 1, "\(result.stderr)")
        #expect(warnings.first?.contains("photo 東京タワー.jpg, id ") == true, "\(warnings)")
        #expect(warnings.first?.contains("/.jpg") == true, "the file: \(warnings)")

        let clean = try World(photos: 12)
        clean.icloud.icloud.setConfig { $0.library.importableNames = true }
        let again = try await clean.run(["--no-progress-bar"] + clean.plugin([]))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("WARNING"), "\(again.stderr)")
    }

    /// Runs icloudpd (a watch loop) until `count` summary lines have appeared, then stops it with
    /// SIGTERM, as a user ends a daemon; returns its stdout.
    static func runUntilSummaries(_ count: Int, arguments: [String], environment: [String: String]) async throws -> String {
        try await ToolRunner.onThread { () -> String in
            let process = Process()
            process.executableURL = ToolRunner.url("icloudpd")
            process.arguments = arguments
            process.environment = ToolRunner.environment(environment)
            let stdout = Pipe()
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            let deadline = Date().addingTimeInterval(90)
            while text.components(separatedBy: #""type":"summary""#).count <= count && Date() < deadline {
                let chunk = stdout.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            process.terminate()
            process.waitUntilExit()
            return text
        }
    }

    /// The plugin README's "Real-World Example" command line as written (pointed at the sandbox servers,
    /// whose key comes from the environment), run twice: the second run changes nothing.
    @Test func realWorldExampleCommandLineTwice() async throws {
        let world = try World(photos: 30)
        let arguments = [
            "--directory", world.icloud.directory,
            "--cookie-directory", world.icloud.cookieDirectory,
            "--username", ICloudPDDownloadFixture.username,
            "--folder-structure", "none",
            "--set-exif-datetime",
            "--watch-with-interval", "86400",
            "--until-found", "1000",
            "--keep-unicode-in-filenames",
            "--file-match-policy", "name-id7",
            "--size", "original", "--size", "medium", "--size", "adjusted",
            "--log-level", "debug",
            "--xmp-sidecar",
            "--favorite-to-rating", "1",
            "--plugin", "immich",
            "--immich-server-url", world.immich.baseURL,
            "--immich-library-id", world.immich.libraryId,
            "--immich-stack-media",
            "--immich-favorite", "adjusted",
            "--process-existing-favorites",
            "--associate-live-with-extra-sizes",
            "--immich-scan-timeout", "60.0",
            "--immich-poll-interval", "1.0",
            "--immich-batch-process", "10",
            "--immich-album", "[adjusted]:iCloud",
            "--immich-album", "[medium]:iCloud JPG",
            "--immich-album", "[original]:iCloud Raw",
            "--immich-batch-log-file", world.icloud.root + "/pending.json",
        ]
        let environment = world.icloud.icloud.endpointEnvironment.merging([
            "TZ": "UTC", "IMMICH_API_KEY": world.immich.apiKey, "HOME": world.icloud.root,
            "ICLOUD_PASSWORD": ICloudPDDownloadFixture.password,
        ]) { $1 }
        let first = try await Self.runUntilSummaries(1, arguments: arguments, environment: environment)
        let summary = try #require(first.split(separator: "\n").compactMap { try? JSON.parse(String($0)) }.first { $0["type"] == "summary" })
        #expect((summary["downloaded"]?.intValue ?? 0) >= 25, "\(summary)")
        let state = try world.state()
        let albums = Dictionary(uniqueKeysWithValues: (state["albums"]?.arrayValue ?? []).map { ($0["albumName"]!.stringValue!, $0["assetIds"]!.arrayValue!.count) })
        #expect(Set(albums.keys) == ["iCloud", "iCloud JPG", "iCloud Raw"])
        #expect((albums["iCloud"] ?? 0) >= 20 && (albums["iCloud JPG"] ?? 0) >= 20 && (albums["iCloud Raw"] ?? 0) >= 20)
        #expect((state["stacks"]?.arrayValue?.count ?? 0) >= 20)
        #expect((state["assets"]?.arrayValue ?? []).contains { $0["isFavorite"] == .bool(true) })
        // Flat folder, XMP sidecars with the favourite rating beside the files.
        let files = world.icloud.files()
        #expect(files.allSatisfy { !$0.contains("/") }, "--folder-structure none")
        #expect(files.contains { $0.hasSuffix(".xmp") })

        world.immich.resetCounts()
        let second = try await Self.runUntilSummaries(1, arguments: arguments, environment: environment)
        #expect(second.contains(#""type":"summary""#))
        #expect(world.mutatingCalls().isEmpty, "\(world.mutatingCalls())")
        #expect(try world.state()["albums"]?.arrayValue?.count == 3)
    }

    /// The seed's Real-World Example as a watch loop (1 s interval): every iteration after the
    /// first is a change run, --until-found and --process-existing-favorites included; on an
    /// unchanged library each one makes one CloudKit request and no Immich request, and a
    /// favourite flipped in iCloud reaches Immich as one record.
    /// `WATCH_BENCH_PHOTOS=2000` measures a bigger library (the counts are printed).
    @Test func realWorldExampleIterationsOnAnUnchangedLibrary() async throws {
        let photos = Int(ProcessInfo.processInfo.environment["WATCH_BENCH_PHOTOS"] ?? "") ?? 30
        let world = try World(photos: photos)
        let arguments = [
            "--directory", world.icloud.directory, "--cookie-directory", world.icloud.cookieDirectory,
            "--username", ICloudPDDownloadFixture.username, "--folder-structure", "none", "--set-exif-datetime",
            "--watch-with-interval", "1", "--until-found", "1000", "--keep-unicode-in-filenames",
            "--file-match-policy", "name-id7", "--size", "original", "--size", "medium", "--size", "adjusted",
            "--log-level", "debug", "--xmp-sidecar", "--favorite-to-rating", "1",
            "--plugin", "immich", "--immich-server-url", world.immich.baseURL, "--immich-library-id", world.immich.libraryId,
            "--immich-stack-media", "--immich-favorite", "adjusted", "--process-existing-favorites",
            "--associate-live-with-extra-sizes", "--immich-scan-timeout", "60.0", "--immich-poll-interval", "0.05",
            "--immich-batch-process", "10", "--immich-album", "[adjusted]:iCloud", "--immich-album", "[medium]:iCloud JPG",
            "--immich-album", "[original]:iCloud Raw", "--immich-batch-log-file", world.icloud.root + "/pending.json",
        ]
        let watch = try ICloudPDWatchFaultTests.Watch(arguments, environment: environment(world), log: world.icloud.root + "/watch.log")
        let summaries: @Sendable (ICloudPDWatchFaultTests.Watch) -> Int = { $0.count(#""type":"summary""#) }
        #expect(try await watch.until(timeout: 60 + Double(photos) / 5) { summaries($0) >= 2 }, "\(watch.text.suffix(3000))")
        world.icloud.icloud.resetCounts()
        world.immich.resetCounts()
        // The reset lands somewhere in the iteration after the summary seen: count two whole
        // iterations after it, plus at most that one's request.
        let seen = summaries(watch)
        #expect(try await watch.until(timeout: 60) { summaries($0) >= seen + 3 }, "\(watch.text)")
        let icloud = world.icloud.icloud.requestCounts(), immich = world.immich.requestCounts()
        let cloudKit = icloud.filter { $0.key.contains("/database/") }.values.reduce(0, +)
        #expect((2...3).contains(cloudKit), "1 CloudKit request per iteration: \(icloud)")
        #expect(immich.isEmpty, "no Immich request: \(immich)")
        print("WATCH-BENCH photos=\(photos) iterations=2-3 cloudkit_requests=\(cloudKit) immich_requests=\(immich["total"] ?? 0) icloud_requests=\(icloud["total"] ?? 0)")

        // One favourite flipped: one record reaches the steps, one favourite in Immich.
        let favourites = try favouritePaths(world)
        let index = (0..<photos).first { !world.icloud.library.photo(index: $0).isFavorite && world.icloud.library.kind($0) == .plainJPEG }!
        world.icloud.icloud.setConfig { $0.library.setFavorite(index, true) }
        #expect(try await watch.until(timeout: 60) { _ in ((try? self.favouritePaths(world)) ?? favourites).count > favourites.count }, "\(watch.text)")
        #expect(try await watch.until(timeout: 60) { $0.text.contains(#""photos":1,"#) }, "\(watch.text)")
        watch.stop()
    }

    func favouritePaths(_ world: World) throws -> Set<String> {
        Set((try world.state()["assets"]?.arrayValue ?? []).filter { $0["isFavorite"] == .bool(true) }.compactMap { $0["originalPath"]?.stringValue })
    }

    func environment(_ world: World) -> [String: String] {
        world.icloud.icloud.endpointEnvironment.merging([
            "TZ": "UTC", "IMMICH_API_KEY": world.immich.apiKey, "HOME": world.icloud.root,
            "ICLOUD_PASSWORD": ICloudPDDownloadFixture.password,
        ]) { $1 }
    }

    /// The plugin README's daily example (--until-found keeps icloudpd's listing): photos favourited in
    /// iCloud after they were downloaded become Immich favourites on the next pass, and nothing
    /// else changes in Immich: no scan, no stack, no album call.
    @Test func dailyExampleFavouritesPhotosFavouritedLater() async throws {
        let world = try World(photos: 24)
        let arguments = [
            "--directory", world.icloud.directory, "--cookie-directory", world.icloud.cookieDirectory,
            "--username", ICloudPDDownloadFixture.username,
            "--size", "original", "--size", "medium", "--size", "adjusted",
            "--watch-with-interval", "86400", "--until-found", "1000",
            "--plugin", "immich", "--immich-server-url", world.immich.baseURL, "--immich-library-id", world.immich.libraryId,
            "--immich-stack-media", "--associate-live-with-extra-sizes", "--immich-favorite", "adjusted",
            "--process-existing-favorites", "--immich-album", "[adjusted]:iCloud",
            "--immich-poll-interval", "0.05", "--immich-batch-log-file", world.icloud.root + "/pending.json",
        ]
        _ = try await Self.runUntilSummaries(1, arguments: arguments, environment: environment(world))
        let before = try favouritePaths(world)
        #expect(!before.isEmpty)
        // Two photos that were not favourites (the generated library favourites every third).
        world.icloud.icloud.setConfig { $0.library.setFavorite(4, true); $0.library.setFavorite(7, true) }
        world.immich.resetCounts()
        let scansBefore = world.immich.scanCount
        let second = try await Self.runUntilSummaries(1, arguments: arguments, environment: environment(world))
        #expect(second.contains(#""favoritesOnly":"#))
        let after = try favouritePaths(world)
        #expect(after.isSuperset(of: before))
        #expect(after.subtracting(before).count == 2, "\(after.subtracting(before))")
        // Default batch size 1 (the plugin's: each photo at once): one bulk PUT per new favourite.
        #expect(world.mutatingCalls() == ["PUT /api/assets": 2], "\(world.mutatingCalls())")
        #expect(world.immich.scanCount == scansBefore)
    }

    /// Incremental sync feeding the plugin: favourite an old photo in iCloud; the next run makes
    /// one change request, emits that photo alone and marks it favourite in Immich, without a
    /// library scan or touching other photos.
    @Test func aFavouriteFlipReachesImmichThroughTheChangeFeed() async throws {
        let world = try World(photos: 24)
        let arguments = ["--size", "original", "--size", "adjusted", "--records", world.icloud.root + "/records.ndjson"]
            + world.plugin(["--immich-stack-media", "--immich-favorite", "adjusted", "--process-existing-favorites"])
        let first = try await world.run(arguments)
        #expect([0, 5].contains(first.status), "\(first.stderr)")
        let before = try favouritePaths(world)
        world.icloud.icloud.setConfig { $0.library.setFavorite(5, true) }
        world.immich.resetCounts()
        world.icloud.icloud.resetCounts()
        try? FileManager.default.removeItem(atPath: world.icloud.root + "/records.ndjson")
        let second = try await world.run(arguments)
        #expect([0, 5].contains(second.status), "\(second.stderr)")
        let records = try String(contentsOfFile: world.icloud.root + "/records.ndjson", encoding: .utf8).split(separator: "\n")
        #expect(records.count == 1, "only the changed photo is emitted")
        #expect(records.first?.contains(#""changed":["favorite"]"#) == true)
        #expect(try favouritePaths(world).subtracting(before).count == 1)
        #expect(world.mutatingCalls() == ["PUT /api/assets": 1], "\(world.mutatingCalls())")
        #expect(world.immich.scanCount == 0 || world.immich.requestCounts()["POST /api/libraries/{id}/scan"] == nil)
        let listing = world.icloud.count("POST /database/1/com.apple.photos.cloud/production/private/records/query")
        #expect(listing == 0, "a change run lists nothing")
    }
}
