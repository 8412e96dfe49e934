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
        typealias Options = ICloudPDOptions
        let sizes = try arguments[Options.size]
        let live = try arguments[Options.livePhotoSize]
        let align = try arguments[Options.alignRaw]
        let match = try arguments[Options.fileMatchPolicy]
        let livePolicy = try arguments[Options.livePhotoMovFilenamePolicy]
        let folder = FolderStructure(template: arguments[Options.folderStructure])
        if let message = folder.validationError() { throw .usage(message) }
        if arguments[Options.useOSLocale], !folder.isNone,
           let refusal = ICloudPDOSLocale.refusal(template: folder.template, environment: arguments.environment) {
            throw .usage(refusal)
        }

        let directory = arguments[Options.directory].map { PythonPath.normpath($0) } ?? ""
        let options = DownloadOptions(
            directory: directory, folderStructure: folder,
            sizes: SizeOptions(sizes: sizes, forceSize: arguments[Options.forceSize], alignRaw: align, livePhotoSize: live,
                               skipLivePhotos: arguments[Options.skipLivePhotos]),
            naming: NamingOptions(fileMatchPolicy: match, keepUnicode: arguments[Options.keepUnicode],
                                  livePhotoMovFilenamePolicy: livePolicy))
        var settings = DownloadSettings(options: options)
        settings.threads = try arguments[Options.threadsNum]
        settings.recent = try arguments[Options.recent]
        settings.untilFound = try arguments[Options.untilFound]
        settings.filter = AssetFilter(skipVideos: arguments[Options.skipVideos], skipPhotos: arguments[Options.skipPhotos],
                                      createdBefore: try arguments[Options.skipCreatedBefore],
                                      createdAfter: try arguments[Options.skipCreatedAfter])
        settings.dryRun = arguments[Options.dryRun]
        settings.onlyPrintFilenames = arguments[Options.onlyPrintFilenames]
        settings.xmpSidecar = arguments[Options.xmpSidecar]
        settings.setExifDateTime = arguments[Options.setExifDatetime]
        settings.metadataOverwrite = arguments[Options.metadataOverwrite]
        settings.processExistingFavorites = arguments[Options.processExistingFavorites]
        settings.favoriteRating = try arguments[Options.favoriteToRating]
        pass = LibraryPass.Settings(download: settings, library: arguments[Options.library], albums: arguments[Options.album],
                                    listAlbums: arguments[Options.listAlbums], listLibraries: arguments[Options.listLibraries],
                                    progressBar: !arguments[Options.noProgressBar] && !settings.onlyPrintFilenames)
        autoDelete = arguments[Options.autoDelete]
        watchInterval = try arguments[Options.watchWithInterval]
        switch arguments[Options.records] {
        case .absent: records = nil
        case .present(let file): records = file == "-" ? "" : (file ?? "")
        }
    }
}
