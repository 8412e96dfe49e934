import Foundation

/// The listing/download options of one icloudpd run, validated as icloudpd does (argparse
/// messages for bad choices, exit 2).
struct ICloudPDDownloadArguments: Sendable {
    /// What each pass lists or downloads.
    var pass: LibraryPass.Settings
    /// `--auto-delete`.
    var autoDelete: Bool
    var watchInterval: Int?
    /// nil: no records; "" = stdout; else a file.
    var records: String?

    var settings: DownloadSettings { pass.download }
    var library: String { pass.library }
    var listAlbums: Bool { pass.listAlbums }
    var listLibraries: Bool { pass.listLibraries }
    var zone: PhotoLibraryZone { pass.zone }

    init(_ arguments: ParsedArguments) throws(ToolError) {
        func choice(_ name: String, _ choices: [String]) throws(ToolError) -> String? {
            try ICloudPDCommand.choice(arguments, name, choices, lowercase: true)
        }
        func integer(_ name: String, minimum: Int = 0) throws(ToolError) -> Int? {
            guard let raw = arguments.value(name) else { return nil }
            guard let n = Int(raw), n >= minimum else { throw .usage("argument --\(name): invalid int value: '\(raw)'") }
            return n
        }
        var sizes: [AssetVersionSize] = []
        for raw in arguments.values("size") {
            guard let size = AssetVersionSize(rawValue: raw.lowercased()) else {
                throw .usage("argument --size: invalid choice: '\(raw)' (choose from \(ICloudPDOptions.sizes.map { "'\($0)'" }.joined(separator: ", ")))")
            }
            sizes.append(size)
        }
        if sizes.isEmpty { sizes = [.original] }
        let live = LivePhotoVersionSize(rawValue: try choice("live-photo-size", ["original", "medium", "thumb"]) ?? "original") ?? .original
        let align = RawTreatmentPolicy(rawValue: try choice("align-raw", ["as-is", "original", "alternative"]) ?? "as-is") ?? .asIs
        let match = FileMatchPolicy(rawValue: try choice("file-match-policy", ["name-size-dedup-with-suffix", "name-id7"])
                                    ?? "name-size-dedup-with-suffix") ?? .nameSizeDedupWithSuffix
        let livePolicy = LivePhotoMovFilenamePolicy(rawValue: try choice("live-photo-mov-filename-policy", ["suffix", "original"]) ?? "suffix") ?? .suffix
        let folder = FolderStructure(template: arguments.value("folder-structure") ?? FolderStructure.default.template)
        if let message = folder.validationError() { throw .usage(message) }
        if arguments.flag("use-os-locale"), !folder.isNone,
           let refusal = ICloudPDOSLocale.refusal(template: folder.template, environment: arguments.environment) {
            throw .usage(refusal)
        }

        let directory = arguments.value("directory").map { PythonPath.normpath($0) } ?? ""
        let options = DownloadOptions(
            directory: directory, folderStructure: folder,
            sizes: SizeOptions(sizes: sizes, forceSize: arguments.flag("force-size"), alignRaw: align, livePhotoSize: live,
                               skipLivePhotos: arguments.flag("skip-live-photos")),
            naming: NamingOptions(fileMatchPolicy: match, keepUnicode: arguments.flag("keep-unicode-in-filenames"),
                                  livePhotoMovFilenamePolicy: livePolicy))
        var settings = DownloadSettings(options: options)
        settings.threads = try integer("threads-num", minimum: 1) ?? 8
        settings.recent = try integer("recent")
        settings.untilFound = try integer("until-found")
        func date(_ name: String) throws(ToolError) -> Date? {
            guard let raw = arguments.value(name) else { return nil }
            guard let d = AssetFilter.parseDate(raw) else { throw .usage("Not an ISO timestamp or time interval in days") }
            return d
        }
        settings.filter = AssetFilter(skipVideos: arguments.flag("skip-videos"), skipPhotos: arguments.flag("skip-photos"),
                                      createdBefore: try date("skip-created-before"), createdAfter: try date("skip-created-after"))
        settings.dryRun = arguments.flag("dry-run")
        settings.onlyPrintFilenames = arguments.flag("only-print-filenames")
        settings.xmpSidecar = arguments.flag("xmp-sidecar")
        settings.setExifDateTime = arguments.flag("set-exif-datetime")
        settings.metadataOverwrite = arguments.flag("metadata-overwrite")
        settings.processExistingFavorites = arguments.flag("process-existing-favorites")
        if case .present(let raw) = arguments.optionalValue("favorite-to-rating") {
            // argparse: type=int, choices 0-5, const 5 when given without a value.
            let n = raw.map { Int($0) } ?? 5
            guard let n else { throw .usage("argument --favorite-to-rating: invalid int value: '\(raw ?? "")'") }
            guard (0...5).contains(n) else {
                throw .usage("argument --favorite-to-rating: invalid choice: \(n) (choose from 0, 1, 2, 3, 4, 5)")
            }
            settings.favoriteRating = n
        }
        pass = LibraryPass.Settings(download: settings, library: arguments.value("library") ?? "PrimarySync",
                                    albums: arguments.values("album"), listAlbums: arguments.flag("list-albums"),
                                    listLibraries: arguments.flag("list-libraries"),
                                    progressBar: !arguments.flag("no-progress-bar") && !settings.onlyPrintFilenames)
        autoDelete = arguments.flag("auto-delete")
        watchInterval = try integer("watch-with-interval", minimum: 1)
        switch arguments.optionalValue("records") {
        case .absent: records = nil
        case .present(let file): records = file == "-" ? "" : (file ?? "")
        }
    }
}
