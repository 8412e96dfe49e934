import Foundation
import Shared
import Testing

/// Every command line of the icloudpd Immich plugin's README (icloudpd PR #1302), parsed by icloudpd's option
/// table into plugin settings and composed into the pipeline's command lines. The README's
/// placeholder library ids (YOUR_LIBRARY_ID, abc123, ABC) are not UUIDs, so a real id stands
/// in; the one-time full sync gets its missing line continuation.
@Suite struct ImmichPluginSettingsTests {
    static let library = "5f0c2a8e-4b1d-4c3e-9a7f-2d6b8e1c0a94"

    /// Splits a shell command line (backslash-newline continuations, quotes) into arguments.
    static func words(_ text: String) -> [String] {
        var words: [String] = [], current = "", quote: Character? = nil, inWord = false
        var chars = Array(text.replacingOccurrences(of: "\\\n", with: " "))[...]
        while let c = chars.popFirst() {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c; inWord = true
            } else if c.isWhitespace {
                if inWord { words.append(current); current = ""; inWord = false }
            } else if c == "#" && !inWord {
                while let n = chars.first, n != "\n" { chars.removeFirst() }
            } else {
                current.append(c); inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    static func parse(_ line: String, environment: [String: String] = [:]) throws -> ImmichPluginSettings? {
        var argv = words(line)
        if argv.first == "icloudpd" { argv.removeFirst() }
        argv = argv.map { ["YOUR_LIBRARY_ID", "abc123", "ABC"].contains($0) ? library : $0 }
        let arguments = try ArgumentParser.parse(argv, spec: ICloudPDCommand.spec, environment: environment)
        return try ImmichPluginSettings.parse(arguments)
    }

    static func stages(_ settings: ImmichPluginSettings) -> [String] { ImmichPipeline(settings).stages.map(\.description) }

    static let quickStart = """
        icloudpd \\
          --directory /path/to/photos \\
          --username me@you.com \\
          --plugin immich \\
          --immich-server-url http://localhost:2283 \\
          --immich-api-key YOUR_API_KEY \\
          --immich-library-id YOUR_LIBRARY_ID \\
          --immich-stack-media \\
          --immich-favorite adjusted
        """

    static let daily = """
        icloudpd \\
          --directory /mnt/photos \\
          --username user@icloud.com \\
          --size original --size medium --size adjusted \\
          --watch-with-interval 86400 \\
          --until-found 1000 \\
          --plugin immich \\
          --immich-server-url https://immich.example.com \\
          --immich-api-key YOUR_API_KEY \\
          --immich-library-id abc123 \\
           --immich-stack-media \\
           --associate-live-with-extra-sizes \\
          --immich-favorite adjusted \\
          --process-existing-favorites \\
          --immich-album [adjusted]:iCloud
        """

    /// The README's text has `--immich-album [adjusted]:iCloud` without its `\` and a trailing
    /// `\` after the last option: fixed here as the obvious typo it is.
    static let fullSync = """
        # One-time full sync
        icloudpd \\
          --directory /mnt/photos \\
          --username user@icloud.com \\
          --size original --size medium --size adjusted \\
          --plugin immich \\
          --immich-server-url https://immich.example.com \\
          --immich-api-key YOUR_API_KEY \\
          --immich-library-id abc123 \\
           --immich-stack-media \\
           --associate-live-with-extra-sizes \\
          --immich-favorite adjusted \\
          --immich-album [adjusted]:iCloud \\
          --immich-process-existing
        """

    static let realWorld = """
        icloudpd \\
          --directory /path/to/iCloud \\
          --cookie-directory /home/user/.pyicloud \\
          --username me@you.com \\
          --folder-structure none \\
          --set-exif-datetime \\
          --watch-with-interval 86400 \\
          --until-found 1000 \\
          --keep-unicode-in-filenames \\
          --file-match-policy name-id7 \\
          --size original --size medium --size adjusted \\
          --log-level debug \\
          --xmp-sidecar \\
          --favorite-to-rating 1 \\
          --plugin immich \\
          --immich-server-url http://localhost:2283 \\
          --immich-api-key "XYZ" \\
          --immich-library-id "ABC" \\
          --immich-stack-media \\
          --immich-favorite adjusted \\
          --process-existing-favorites \\
          --associate-live-with-extra-sizes \\
          --immich-scan-timeout 60.0 \\
          --immich-poll-interval 1.0 \\
          --immich-batch-process 10 \\
          --immich-album "[adjusted]:iCloud" \\
          --immich-album "[medium]:iCloud JPG" \\
          --immich-album "[original]:iCloud Raw"
        """

    @Test func quickStartComposesScanStackFavourite() throws {
        let settings = try #require(try Self.parse(Self.quickStart))
        #expect(settings.serverURL == "http://localhost:2283" && settings.apiKey == "YOUR_API_KEY" && settings.libraryId == Self.library)
        #expect(settings.batchSize == .every(1) && settings.existing == .skip && settings.journalPath == nil)
        #expect(Self.stages(settings) == [
            "immich-batch 1", "immich-scan --scan-timeout 5 --poll-interval 1", "immich-stack", "immich-fav adjusted", "immich-batch --commit",
        ])
    }

    @Test func dailyExampleRoutesExistingFavourites() throws {
        let settings = try #require(try Self.parse(Self.daily))
        #expect(settings.existing == .favoritesOnly)
        #expect(settings.stack == .all && settings.liveLinks == .all && settings.favorite == SizeList(sizes: ["adjusted"]))
        #expect(Self.stages(settings) == [
            "immich-batch 1", "immich-scan --scan-timeout 5 --poll-interval 1", "immich-stack --associate-live-with-extra-sizes",
            "immich-fav adjusted", "immich-album --album '[adjusted]:iCloud'", "immich-batch --commit",
        ])
    }

    @Test func fullSyncProcessesExisting() throws {
        let settings = try #require(try Self.parse(Self.fullSync))
        #expect(settings.existing == .process)
        #expect(settings.albumRules == ["[adjusted]:iCloud"])
    }

    @Test func realWorldExample() throws {
        let settings = try #require(try Self.parse(Self.realWorld))
        #expect(settings.batchSize == .every(10) && settings.scanTimeout == 60 && settings.pollInterval == 1)
        #expect(settings.existing == .favoritesOnly)
        let pipeline = ImmichPipeline(settings, logLevel: "debug")
        #expect(pipeline.stages.map(\.tool) == ["immich-batch", "immich-scan", "immich-stack", "immich-fav", "immich-album", "immich-batch"])
        #expect(pipeline.stages[0].arguments == ["10", "--log-level", "debug"])
        #expect(pipeline.stages[1].arguments == ["--scan-timeout", "60", "--poll-interval", "1", "--log-level", "debug"])
        #expect(pipeline.stages[4].arguments == ["--album", "[adjusted]:iCloud", "--album", "[medium]:iCloud JPG", "--album", "[original]:iCloud Raw", "--log-level", "debug"])
        // The key reaches the children through the environment only.
        #expect(!pipeline.description.contains("XYZ"))
        #expect(pipeline.stages.allSatisfy { !$0.arguments.contains("XYZ") && !$0.arguments.contains(Self.library) })
        let environment = ImmichPipeline.environment(settings, base: ["PATH": "/bin"])
        #expect(environment == ["PATH": "/bin", "IMMICH_SERVER_URL": "http://localhost:2283", "IMMICH_API_KEY": "XYZ", "IMMICH_LIBRARY_ID": Self.library])
    }

    /// `--immich-concurrency N` reaches every Immich step as `--concurrency N`; the default (8)
    /// is the steps' own and is not repeated.
    @Test func concurrencyGoesToEveryStep() throws {
        let settings = try #require(try Self.parse(Self.realWorld + " --immich-concurrency 3"))
        #expect(settings.concurrency == 3)
        for stage in ImmichPipeline(settings).stages where stage.tool != "immich-batch" {
            #expect(stage.arguments.suffix(2) == ["--concurrency", "3"], "\(stage)")
        }
        let defaults = try #require(try Self.parse(Self.realWorld))
        #expect(ImmichPipeline(defaults).stages.allSatisfy { !$0.arguments.contains("--concurrency") })
        #expect(throws: ToolError.self) { try Self.parse(Self.realWorld + " --immich-concurrency 0") }
    }

    /// The README's option fragments, each added to the quick start.
    @Test(arguments: [
        ("--immich-stack-media adjusted,original", "immich-stack adjusted,original"),
        ("--immich-favorite adjusted,medium", "immich-fav adjusted,medium"),
        ("--immich-favorite", "immich-fav"),
        ("--immich-album \"iCloud Photos\"", "immich-album --album 'iCloud Photos'"),
        ("--immich-album \"[adjusted]:iCloud/{:%Y/%m}\"", "immich-album --album '[adjusted]:iCloud/{:%Y/%m}'"),
        ("--immich-album \"[medium]:iCloud JPG\" --immich-album \"[original]:iCloud Raw\"",
         "immich-album --album '[medium]:iCloud JPG' --album '[original]:iCloud Raw'"),
        ("--associate-live-with-extra-sizes", "immich-stack --no-stack --associate-live-with-extra-sizes"),
        ("--associate-live-with-extra-sizes adjusted,medium", "immich-stack --no-stack --associate-live-with-extra-sizes=adjusted,medium"),
        ("--immich-stack-media --associate-live-with-extra-sizes adjusted,medium", "immich-stack --associate-live-with-extra-sizes=adjusted,medium"),
        ("--immich-process-existing", "immich-batch 1"),
        ("--process-existing-favorites", "immich-batch 1"),
        ("--immich-batch-process 10", "immich-batch 10"),
        ("--immich-batch-process all", "immich-batch all"),
        ("--immich-batch-process", "immich-batch all"),
        ("--immich-batch-log-file /path/file.json", "immich-batch 1 --log /path/file.json"),
        ("--immich-scan-timeout 60.0", "immich-scan --scan-timeout 60 --poll-interval 1"),
        ("--immich-poll-interval 1.0", "immich-scan --scan-timeout 5 --poll-interval 1"),
        ("--immich-scan-timeout 0", "immich-scan --scan-timeout 0 --poll-interval 1"),
        ("--immich-path-map /mnt/photos=/data/photos", "immich-scan --scan-timeout 5 --poll-interval 1 --path-map /mnt/photos=/data/photos"),
        ("--dry-run", "immich-scan --scan-timeout 5 --poll-interval 1 --dry-run"),
    ])
    func seedFragment(_ fragment: String, _ expectedStage: String) throws {
        // The quick start without its own stack and favourite options.
        let base = "icloudpd -d /p -u a@b.c --plugin immich --immich-server-url http://h:2283 --immich-api-key K --immich-library-id \(Self.library) "
        let settings = try #require(try Self.parse(base + fragment))
        #expect(Self.stages(settings).contains(expectedStage), "\(Self.stages(settings))")
    }

    @Test func albumMirrorPassesMirrorAndKeepsTheAlbumStateBesideTheJournal() throws {
        let base = "-d /p --plugin immich --immich-server-url http://h --immich-api-key K --immich-library-id \(Self.library) --immich-album '{album}' "
        let mirrored = try #require(try Self.parse(base + "--immich-album-mirror"))
        #expect(Self.stages(mirrored).contains("immich-album --album '{album}' --mirror"), "\(Self.stages(mirrored))")
        let journaled = try #require(try Self.parse(base + "--immich-batch-log-file /var/lib/j/pending.json"))
        #expect(Self.stages(journaled).contains("immich-album --album '{album}' --state /var/lib/j/immich_album_state.sqlite"),
                "\(Self.stages(journaled))")
        let error = #expect(throws: ToolError.self) {
            try Self.parse("-d /p --plugin immich --immich-server-url http://h --immich-api-key K --immich-library-id \(Self.library) --immich-album-mirror")
        }
        #expect(error?.message == "--immich-album-mirror needs an --immich-album rule")
    }

    @Test func liveLinkingAloneRunsStackWithoutStacking() throws {
        let base = "-d /p --plugin immich --immich-server-url http://h --immich-api-key K --immich-library-id \(Self.library) "
        let settings = try #require(try Self.parse(base + "--associate-live-with-extra-sizes"))
        #expect(Self.stages(settings) == [
            "immich-batch 1", "immich-scan --scan-timeout 5 --poll-interval 1", "immich-stack --no-stack --associate-live-with-extra-sizes", "immich-batch --commit",
        ])
        let dry = try #require(try Self.parse(base + "--dry-run --immich-favorite"))
        #expect(ImmichPipeline(dry).stages.allSatisfy { $0.arguments.contains("--dry-run") })
    }

    @Test func secretsMayComeFromTheEnvironment() throws {
        let settings = try #require(try Self.parse("-d /p --plugin immich", environment: [
            "IMMICH_SERVER_URL": "http://h:2283", "IMMICH_API_KEY": "K", "IMMICH_LIBRARY_ID": Self.library]))
        #expect(settings.apiKey == "K")
        #expect(try Self.parse("-d /p -u a@b.c") == nil)
    }

    /// Each bad value or combination is a usage error naming the option.
    @Test(arguments: [
        ("--immich-process-existing --process-existing-favorites", "cannot be used together"),
        ("--immich-batch-process 0", "--immich-batch-process"),
        ("--immich-batch-process -3", "'-3'"),
        ("--immich-batch-process 2.5", "--immich-batch-process"),
        ("--immich-stack-media adjusted,bogus", "--immich-stack-media: unknown size 'bogus'"),
        ("--immich-stack-media all", "--immich-stack-media: unknown size 'all'"),
        ("--immich-favorite adjusted,", "--immich-favorite: empty size name"),
        ("--associate-live-with-extra-sizes=Adjusted", "--associate-live-with-extra-sizes: unknown size 'Adjusted'"),
        ("--immich-album '[stacked]:X'", "--immich-album: invalid album rule '[stacked]:X'"),
        ("--immich-album '[adjusted]X'", "invalid album rule"),
        ("--immich-scan-timeout -1", "invalid --immich-scan-timeout '-1'"),
        ("--immich-scan-timeout nan", "invalid --immich-scan-timeout 'nan'"),
        ("--immich-poll-interval soon", "invalid --immich-poll-interval 'soon'"),
        ("--immich-poll-interval 0", "--immich-poll-interval must be more than 0"),
        ("--immich-path-map /a", "invalid --immich-path-map '/a'"),
        ("--immich-path-map a=/b", "invalid --immich-path-map 'a=/b'"),
    ])
    func badValues(_ fragment: String, _ message: String) throws {
        let base = "-d /p --plugin immich --immich-server-url http://h --immich-api-key K --immich-library-id \(Self.library) "
        let error = #expect(throws: ToolError.self) { try Self.parse(base + fragment) }
        #expect(error?.code == .usage)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [
        ("-d /p --plugin immich --immich-api-key K --immich-library-id LIB", "needs --immich-server-url"),
        ("-d /p --plugin immich --immich-server-url http://h --immich-library-id LIB", "needs --immich-api-key"),
        ("-d /p --plugin immich --immich-server-url http://h --immich-api-key K", "needs --immich-library-id"),
        ("-d /p --plugin immich --immich-server-url http://h --immich-api-key K --immich-library-id not-a-uuid", "'not-a-uuid' is not a library id"),
        ("-d /p --plugin immich --immich-server-url ftp://h --immich-api-key K --immich-library-id LIB", "invalid Immich server URL"),
        ("-d /p --plugin photos --immich-server-url http://h", "invalid choice: 'photos'"),
        ("-d /p -u a@b.c --immich-favorite adjusted", "--immich-favorite needs --plugin immich"),
    ])
    func missingOrWrongConnection(_ line: String, _ message: String) throws {
        let error = #expect(throws: ToolError.self) { try Self.parse(line.replacingOccurrences(of: "LIB", with: Self.library)) }
        #expect(error?.code == .usage)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }
}
