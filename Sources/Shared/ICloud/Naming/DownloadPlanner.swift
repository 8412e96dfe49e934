import Foundation

/// Everything that decides where an asset's files go.
public struct DownloadOptions: Sendable, Equatable {
    /// `--directory` (icloudpd normalises it with `normpath`; so do we when joining).
    public var directory: String
    public var folderStructure: FolderStructure
    public var sizes: SizeOptions
    public var naming: NamingOptions

    public init(directory: String, folderStructure: FolderStructure = .default,
                sizes: SizeOptions = SizeOptions(), naming: NamingOptions = NamingOptions()) {
        self.directory = directory
        self.folderStructure = folderStructure
        self.sizes = sizes
        self.naming = naming
    }
}

/// Effect of a file on icloudpd's `--until-found` counter.
public enum UntilFoundEffect: Sendable, Equatable {
    case increment, reset, none
}

/// One target file, as icloudpd decides it.
public struct PlannedFile: Sendable, Equatable {
    /// Final path (after the dedup suffix when it applied).
    public var path: String
    /// The version whose bytes go there.
    public var version: AssetVersion
    /// The file already exists (icloudpd logs `… already exists` and does not download).
    public var exists: Bool
    /// The name collided with a file of another size and got `-<size>` (`IMG_1-1234.JPG`).
    public var deduplicated: Bool
    /// The legacy `NAME-original.EXT` file was found (only for the original size).
    public var legacyOriginalPath: String?
    /// `.original` when the requested size was served by the original (fallback).
    public var fallback: AssetVersionSize?
    /// false when icloudpd does nothing for this size because the original's file serves it
    /// (missing adjusted/alternative/medium/thumb while `original` is also requested).
    public var ownAction: Bool
    public var untilFound: UntilFoundEffect

    /// The file to download, nil when it exists or another entry handles it.
    public var needsDownload: Bool { ownAction && !exists }
}

/// The plan for one asset: the single place where every target name is decided.
public struct AssetPlan: Sendable, Equatable {
    public var assetID: String
    /// `normpath(join(directory, date_path))`.
    public var directory: String
    /// Requested sizes in `--size` order, each with its file (absent: skipped, see `skipped`).
    public var files: [AssetVersionSize: PlannedFile]
    public var order: [AssetVersionSize]
    /// Live-photo video for `--live-photo-size`, nil when none.
    public var live: PlannedFile?
    public var liveSize: LivePhotoVersionSize?
    /// Sizes skipped with `--force-size`, with icloudpd's message.
    public var skipped: [AssetVersionSize: String]
    /// Set when icloudpd would skip the whole asset (no original version, bad folder format).
    public var error: String?

    /// Net `--until-found` effect in icloudpd order: returns the new counter.
    public func applyUntilFound(to counter: Int) -> Int {
        var c = counter
        for s in order {
            switch files[s]?.untilFound {
            case .increment?: c += 1
            case .reset?: c = 0
            default: break
            }
        }
        return c
    }
}

public enum DownloadPlanner {
    /// Plan the files of `asset`. `fileSystem` is consulted like icloudpd consults the disk;
    /// files this plan will write are overlaid so that two sizes mapping to one path behave as
    /// in icloudpd (the second is "already exists"). Callers planning a whole listing without
    /// downloading should add each plan's downloads to their view (`record(_:into:)`).
    public static func plan(_ asset: PhotoAsset, options: DownloadOptions, fileSystem: some FileSystemView,
                            zone: any ZoneRule = SystemZone()) -> AssetPlan {
        var plan = AssetPlan(assetID: asset.id, directory: "", files: [:], order: [], live: nil, liveSize: nil,
                             skipped: [:], error: nil)
        do {
            plan.directory = try options.folderStructure.directory(root: options.directory, date: asset.assetDate, zone: zone)
        } catch {
            plan.error = "Photo created date could not be formatted with \(options.folderStructure.template): \(error)"
            return plan
        }
        let base = FileNaming.baseFilename(asset, policy: options.naming.fileMatchPolicy, keepUnicode: options.naming.keepUnicode)
        let selection = SizeSelector.select(asset, options: options.sizes,
                                            livePolicy: options.naming.livePhotoMovFilenamePolicy, errorName: base)
        var fs = OverlayFileSystem(base: fileSystem)
        let dedup = options.naming.fileMatchPolicy == .nameSizeDedupWithSuffix
        var aliases: [AssetVersionSize] = []

        for (requested, outcome) in selection.primary {
            plan.order.append(requested)
            switch outcome {
            case .missingOriginal:
                plan.error = "KeyError: original version not found for \(base)"
                plan.files = [:]
                plan.live = nil
                return plan
            case .skippedForceSize(let message):
                plan.skipped[requested] = message
            case .servedByOriginal:
                aliases.append(requested)
            case .use(let key, let version, let fallback, let override):
                let name = FileNaming.stillFilename(asset, version: version, size: key, options: options.naming, override: override)
                var path = PythonPath.join(plan.directory, name)
                var exists = fs.isFile(path)
                var legacy: String? = nil
                if !exists && key == .original {
                    let l = PythonPath.addSuffix("-original", to: path)
                    if fs.isFile(l) { exists = true; legacy = l }
                }
                var deduplicated = false
                if exists && dedup {
                    if fs.fileSize(legacy ?? path) != version.size {
                        path = PythonPath.dedupPath(path, size: version.size)
                        deduplicated = true
                        exists = fs.isFile(path)
                    }
                }
                if !exists { fs.planned.write(path, size: version.size) }
                plan.files[requested] = PlannedFile(path: path, version: version, exists: exists, deduplicated: deduplicated,
                                                    legacyOriginalPath: exists ? legacy : nil, fallback: fallback,
                                                    ownAction: true, untilFound: exists ? .increment : .reset)
            }
        }
        for a in aliases {
            if var f = plan.files[.original] {
                f.fallback = .original
                f.ownAction = false
                f.untilFound = .none
                plan.files[a] = f
            }
        }

        if let (size, version) = selection.live {
            let name = FileNaming.liveFilename(asset, version: version, size: size, options: options.naming)
            var path = PythonPath.join(plan.directory, name)
            var exists = fs.isFile(path)
            var deduplicated = false
            if exists && dedup && fs.fileSize(path) != version.size {
                path = PythonPath.dedupPath(path, size: version.size)
                deduplicated = true
                exists = fs.isFile(path)
            }
            if !exists { fs.planned.write(path, size: version.size) }
            plan.live = PlannedFile(path: path, version: version, exists: exists, deduplicated: deduplicated,
                                    legacyOriginalPath: nil, fallback: nil, ownAction: true, untilFound: .none)
            plan.liveSize = size
        }
        return plan
    }

    /// Add the files a plan would download to an in-memory view (dry-run planning of a listing).
    public static func record(_ plan: AssetPlan, into fs: inout InMemoryFileSystem) {
        for f in plan.files.values where f.needsDownload { fs.write(f.path, size: f.version.size) }
        if let l = plan.live, l.needsDownload { fs.write(l.path, size: l.version.size) }
    }
}
