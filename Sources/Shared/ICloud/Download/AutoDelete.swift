import Foundation

/// `--auto-delete` (docs/references.md#icloudpd-modes, icloudpd's `autodelete_photos`): after the
/// downloads, every photo in "Recently Deleted" has its local files deleted, with their `.xmp`
/// sidecars.
///
/// Names are icloudpd's: the default policy without unicode stripping and without id7, in the
/// photo's date folder, for every version it has (after `--align-raw`) plus the adjusted and
/// alternative sizes asked for with `--size`; dedup-suffixed files are never considered. Like
/// icloudpd, then, it misses files named under `name-id7`, with stripped unicode, or with a
/// `-<size>` dedup suffix: deleting more would delete files icloudpd would keep.
public struct AutoDelete: Sendable {
    public let service: PhotosService
    public let settings: DownloadSettings
    public let zoneRule: any ZoneRule

    public init(service: PhotosService, settings: DownloadSettings, zoneRule: any ZoneRule = SystemZone()) {
        self.service = service
        self.settings = settings
        self.zoneRule = zoneRule
    }

    /// Returns the number of files deleted (or that would be, in a dry run).
    @discardableResult
    public func run(zone: PhotoLibraryZone) async throws(ToolError) -> Int {
        Log.info("Deleting any files found in 'Recently Deleted'...")
        var deleted = 0
        var offset = 0
        while true {
            let page = try await service.page(.recentlyDeleted, zone: zone, offset: offset)
            let masters = page.masterCount
            if masters == 0 { break }
            offset += masters
            for pair in page.pairs().pairs {
                for path in Self.paths(PhotoAsset(master: pair.master, asset: pair.asset), options: settings.options, zone: zoneRule)
                where FileManager.default.fileExists(atPath: path) {
                    Log.debug("Deleting \(path)...")
                    if settings.dryRun {
                        Log.info("[DRY RUN] Would delete \(path)")
                    } else if unlink(path) == 0 {
                        Log.info("Deleted \(path)")
                    } else {
                        Log.error("Could not delete \(path): \(String(cString: strerror(errno)))")
                        continue
                    }
                    deleted += 1
                }
            }
        }
        return deleted
    }

    /// The local paths icloudpd would delete for a photo in Recently Deleted, sorted.
    public static func paths(_ asset: PhotoAsset, options: DownloadOptions, zone: any ZoneRule) -> [String] {
        guard let directory = try? options.folderStructure.directory(root: options.directory, date: asset.assetDate, zone: zone) else {
            return []
        }
        let naming = NamingOptions(fileMatchPolicy: .nameSizeDedupWithSuffix, keepUnicode: true,
                                   livePhotoMovFilenamePolicy: options.naming.livePhotoMovFilenamePolicy)
        let base = FileNaming.baseFilename(asset, policy: naming.fileMatchPolicy, keepUnicode: naming.keepUnicode)
        let all = SizeSelector.applyRawPolicy(asset.versions, options.sizes.alignRaw)
        var names: Set<String> = []
        let chosen = SizeSelector.disambiguate(asset, all, options.sizes.sizes, livePolicy: naming.livePhotoMovFilenamePolicy)
        for (size, version) in chosen.versions where size == .adjusted || size == .alternative {
            names.insert(FileNaming.stillFilename(asset, version: version, size: size, options: naming, override: chosen.overrides[size]))
        }
        for (size, version) in all where size != .adjusted && size != .alternative {
            names.insert(FileNaming.stillFilename(asset, version: version, size: size, options: naming))
        }
        for (size, version) in asset.liveVersions {
            names.insert(FileNaming.versionFilename(base: base, versionType: version.type, size: .live(size),
                                                    isImageItemType: asset.isImageLike, livePolicy: naming.livePhotoMovFilenamePolicy))
        }
        let paths = names.map { PythonPath.normpath(PythonPath.join(directory, $0)) }
        return (paths + paths.map { $0 + ".xmp" }).sorted()
    }
}
