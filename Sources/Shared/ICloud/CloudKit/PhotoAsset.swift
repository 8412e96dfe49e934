import Foundation

/// One iCloud photo or video: a CPLMaster and its CPLAsset
/// (docs/references.md#icloudpd-asset-model).
///
/// Construction never fails: missing or malformed fields fall back the way icloudpd does
/// where icloudpd tolerates them, and are reported in `problems` where icloudpd would crash.
public struct PhotoAsset: Sendable, Equatable {
    public var master: CloudKitRecord
    public var asset: CloudKitRecord

    /// `CPLMaster.recordName`.
    public var id: String { master.recordName }

    /// The decoded `filenameEnc` (STRING as is, ENCRYPTED_BYTES base64 → UTF-8), before any
    /// cleaning. nil when the field is absent (or could not be decoded, see `problems`).
    public var rawFilename: String?

    /// `CPLMaster.fields.itemType.value`, nil when absent.
    public var itemTypeUTI: String?

    /// Versions per still size, as found (asset fields first, then master), before any RAW policy.
    public var versions: [AssetVersionSize: AssetVersion]
    /// Live-photo video versions (only for non-movie assets).
    public var liveVersions: [LivePhotoVersionSize: AssetVersion]

    /// Things icloudpd would have raised on (unsupported filename encoding, a `…Res` without
    /// `…FileType`, …). The asset is still usable.
    public var problems: [String]

    public init(master: CloudKitRecord, asset: CloudKitRecord) {
        self.master = master
        self.asset = asset
        var problems: [String] = []

        // filenameEnc
        var raw: String? = nil
        if let f = master.fields["filenameEnc"] {
            switch f.type {
            case "STRING":
                if let s = f.value?.stringValue { raw = s } else { problems.append("filenameEnc: STRING without a string value") }
            case "ENCRYPTED_BYTES":
                if let s = f.value?.stringValue, let s2 = PhotoAsset.decodeBase64UTF8(s) { raw = s2 } else {
                    problems.append("filenameEnc: cannot decode ENCRYPTED_BYTES value")
                }
            default:
                problems.append("Unsupported filename encoding \(f.type ?? "None")")
            }
        }
        rawFilename = raw

        if let v = master.fields["itemType"]?.value { itemTypeUTI = v.stringValue ?? "" } else { itemTypeUTI = nil }

        versions = [:]
        liveVersions = [:]
        self.problems = []

        let movie = itemType == .movie
        for size in AssetVersionSize.allCases {
            let prefix = movie ? VersionFieldPrefix.movie(size) : VersionFieldPrefix.photo(size)
            guard let prefix else { continue }
            if let v = PhotoAsset.lookupVersion(prefix: prefix, master: master, asset: asset, problems: &problems) {
                versions[size] = v
            }
        }
        if !movie {
            for size in LivePhotoVersionSize.allCases {
                if let v = PhotoAsset.lookupVersion(prefix: VersionFieldPrefix.live(size), master: master, asset: asset, problems: &problems) {
                    liveVersions[size] = v
                }
            }
        }
        self.problems = problems
    }

    /// `<prefix>Res` is looked up in the CPLAsset fields first, then in the CPLMaster fields;
    /// the `<prefix>FileType` comes from the same record.
    static func lookupVersion(prefix: String, master: CloudKitRecord, asset: CloudKitRecord,
                              problems: inout [String]) -> AssetVersion? {
        let key = prefix + "Res"
        let record: CloudKitRecord
        if asset.fields[key] != nil { record = asset } else if master.fields[key] != nil { record = master } else { return nil }
        guard let res = record.fields[key]?.value, case .object = res else {
            problems.append("Expected \(key), but missing it"); return nil
        }
        let ref = CloudKitAssetReference(res)
        guard let type = record.fields[prefix + "FileType"]?.value?.stringValue else {
            problems.append("Expected \(prefix)FileType, but missing it"); return nil
        }
        return AssetVersion(size: ref.size ?? 0, url: ref.downloadURL ?? "", type: type, checksum: ref.fileChecksum ?? "")
    }

    /// Python `base64.b64decode` (non-alphabet characters discarded) then strict UTF-8.
    static func decodeBase64UTF8(_ s: String) -> String? {
        guard let d = Data(base64Encoded: s, options: .ignoreUnknownCharacters) else { return nil }
        return String(data: d, encoding: .utf8)
    }

    // MARK: item type

    /// icloudpd's `item_type`: nil ("none") when `itemType` is absent; the table for known
    /// UTIs; otherwise image if the default-policy file name ends in .heic/.png/.jpg/.jpeg
    /// (case-insensitive), else movie.
    public var itemType: AssetItemType? {
        guard let uti = itemTypeUTI else { return nil }
        if let t = UTI.itemType(uti) { return t }
        let lower = FileNaming.defaultFilename(self).lowercased()
        for e in [".heic", ".png", ".jpg", ".jpeg"] where PythonPath.endsWith(lower, e) { return .image }
        return .movie
    }

    /// Extension used for the fallback name: from `itemType`, else `unknown`.
    public var itemTypeExtension: String {
        guard let uti = itemTypeUTI, let e = UTI.extensions[uti] else { return "unknown" }
        return e
    }

    /// Image or "none": what icloudpd treats as a still (live-photo detection, version lookup).
    public var isImageLike: Bool { itemType != .movie }

    /// An image with a live-video version.
    public var isLivePhoto: Bool { isImageLike && !liveVersions.isEmpty }

    // MARK: dates and flags

    /// `assetDate` in milliseconds since the epoch, nil when missing or not a number.
    public var assetDateMilliseconds: Double? { asset.value("assetDate")?.doubleValue }

    /// The asset date (UTC instant); missing/invalid → the epoch, as icloudpd.
    public var assetDate: Date {
        Date(timeIntervalSince1970: (assetDateMilliseconds ?? 0) / 1000.0)
    }

    public var addedDate: Date? {
        asset.value("addedDate")?.doubleValue.map { Date(timeIntervalSince1970: $0 / 1000.0) }
    }

    /// `timeZoneOffset` in seconds (used by icloudpd only in XMP dates).
    public var timeZoneOffset: Int? { asset.value("timeZoneOffset")?.int64Value.map { Int($0) } }

    public var isFavorite: Bool { asset.value("isFavorite")?.int64Value == 1 }
    public var isHidden: Bool { asset.value("isHidden")?.int64Value == 1 }
    public var isDeleted: Bool { asset.value("isDeleted")?.int64Value == 1 }
    public var adjustmentType: String? { asset.value("adjustmentType")?.stringValue }
}
