#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// What happened to one file this run (the record's `status`).
public enum FileStatus: String, Sendable {
    case downloaded, existing
    case wouldDownload = "would-download"
}

/// Builds the photo record (docs/records.md) of one handled asset from its plan.
public enum PhotoRecordBuilder {
    /// `albums`: the user albums holding the photo (nil: unknown, no `albums` key).
    public static func record(_ asset: PhotoAsset, plan: AssetPlan, statuses: [RecordSlot: FileStatus], albums: [String]? = nil) -> JSON {
        var object = JSONObject()
        object["type"] = "photo"
        object["id"] = .string(asset.id)
        object["created"] = .string(created(asset))
        object["favorite"] = .bool(asset.isFavorite)
        object["kind"] = .string(asset.itemType == .movie ? "video" : "image")
        object["filename"] = .string(asset.rawFilename ?? FileNaming.defaultFilename(asset))
        if let albums { object["albums"] = .array(albums.map(JSON.string)) }
        var files = JSONObject()
        for size in plan.order {
            guard let file = plan.files[size] else { continue }
            // An alias (served by the original's file) reports the original's status.
            let status = file.ownAction ? statuses[.still(size)] : statuses[.still(.original)]
            var entry = JSONObject()
            entry["path"] = .string(absolute(file.path))
            entry["status"] = .string((status ?? .existing).rawValue)
            if let fallback = file.fallback { entry["fallback"] = .string(fallback.rawValue) }
            files[size.rawValue] = .object(entry)
        }
        object["files"] = .object(files)
        if let live = plan.live, let size = plan.liveSize {
            let entry: JSON = ["path": .string(absolute(live.path)), "status": .string((statuses[.live(size)] ?? .existing).rawValue)]
            object["live"] = .object(JSONObject([(size.rawValue, entry)]))
        }
        return .object(object)
    }

    /// The capture time in the photo's own offset (`timeZoneOffset`; the local zone without one).
    public static func created(_ asset: PhotoAsset) -> String {
        let seconds = Int(asset.assetDate.timeIntervalSince1970.rounded(.down))
        let offset = asset.timeZoneOffset ?? TimeZone.current.secondsFromGMT(for: asset.assetDate)
        var t = time_t(seconds + offset)
        var parts = tm()
        gmtime_r(&t, &parts)
        let sign = offset < 0 ? "-" : "+"
        let a = abs(offset)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), sign, a / 3600, (a % 3600) / 60)
    }

    static let cwd = FileManager.default.currentDirectoryPath

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : PythonPath.normpath(PythonPath.join(cwd, path))
    }
}
