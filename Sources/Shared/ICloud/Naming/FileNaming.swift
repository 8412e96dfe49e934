import Foundation

/// `--file-match-policy`.
public enum FileMatchPolicy: String, Sendable, Equatable, Codable, CaseIterable {
    /// Existence by name, then by size; a size mismatch gives `NAME-<size>.EXT`.
    case nameSizeDedupWithSuffix = "name-size-dedup-with-suffix"
    /// `_` + first 7 base64 characters of the record name before the extension; existence by name only.
    case nameId7 = "name-id7"
}

/// `--live-photo-mov-filename-policy`.
public enum LivePhotoMovFilenamePolicy: String, Sendable, Equatable, Codable, CaseIterable {
    /// `.heic` stills give `NAME_HEVC.MOV`, anything else `NAME.MOV`.
    case suffix
    /// Always `NAME.MOV`.
    case original
}

/// icloudpd 1.32.2 file naming (docs/references.md#icloudpd-naming), byte for byte.
///
/// Quirks reproduced on purpose (changing them would rename files existing users have; numbers
/// as in docs/references.md#icloudpd-quirks):
/// - `-adjusted`/`-alternative` override names are built from the *default-policy* name: no
///   unicode stripping and no id7 suffix (quirks 1, 2): `Café-adjusted.JPG`,
///   `IMG_2801-adjusted.JPG` under `name-id7`.
/// - Names made only of non-ASCII characters lose their stem: `東京タワー.jpg` → `.jpg`, which
///   has no extension for `splitext`, so the original becomes `.jpg.JPG` and the live video
///   `.jpg` (quirk 3).
/// - `_HEVC` only for `.heic` stills; `.HEIF` stills get plain `.MOV` (quirk 11).
/// - The id7 suffix is taken verbatim from standard base64, so it may contain `/` or `+`.
public enum FileNaming {
    /// `clean_filename`: each of `< > : " / \ | ? *` and NUL becomes `_`.
    public static func cleanFilename(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for s in name.unicodeScalars {
            switch s {
            case "<", ">", ":", "\"", "/", "\\", "|", "?", "*", "\u{0}": out.append("_")
            default: out.append(s)
            }
        }
        return String(out)
    }

    /// `remove_unicode_chars`: drop every non-ASCII code point.
    public static func removeUnicode(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for s in name.unicodeScalars where s.value < 0x80 { out.append(s) }
        return String(out)
    }

    /// First 7 characters of base64(UTF-8(recordName)).
    public static func id7(_ recordName: String) -> String {
        String(Data(recordName.utf8).base64EncodedString().prefix(7))
    }

    /// Name used when the master has no `filenameEnc`: the record name with every character
    /// outside `[0-9a-zA-Z]` replaced by `_`, cut to 12 characters, plus `.` + the item type's extension.
    public static func fingerprintFilename(id: String, itemTypeExtension: String) -> String {
        var out = String.UnicodeScalarView()
        for s in id.unicodeScalars.prefix(12) {
            let ok = (s >= "0" && s <= "9") || (s >= "a" && s <= "z") || (s >= "A" && s <= "Z")
            out.append(ok ? s : "_")
        }
        return String(out) + "." + itemTypeExtension
    }

    /// The base file name ("filename builder"): raw name or fallback → clean → (strip
    /// non-ASCII unless `keepUnicode`) → (id7 suffix under `name-id7`).
    public static func baseFilename(_ asset: PhotoAsset, policy: FileMatchPolicy, keepUnicode: Bool) -> String {
        let raw = asset.rawFilename ?? fingerprintFilename(id: asset.id, itemTypeExtension: asset.itemTypeExtension)
        var name = cleanFilename(raw)
        if !keepUnicode { name = removeUnicode(name) }
        if policy == .nameId7 { name = PythonPath.addSuffix("_" + id7(asset.id), to: name) }
        return name
    }

    /// icloudpd's `PhotoAsset.filename`: the default policy with unicode kept (cleaning only).
    /// Used for item-type inference and for `-adjusted`/`-alternative` override names.
    public static func defaultFilename(_ asset: PhotoAsset) -> String {
        baseFilename(asset, policy: .nameSizeDedupWithSuffix, keepUnicode: true)
    }

    /// Live-video name from a still's base name (without size suffix).
    public static func livePhotoFilename(_ base: String, policy: LivePhotoMovFilenamePolicy) -> String {
        let (root, ext) = PythonPath.splitext(base)
        if ext.isEmpty { return base }
        switch policy {
        case .suffix: return root + (PythonPath.endsWith(ext.lowercased(), ".heic") ? "_HEVC.MOV" : ".MOV")
        case .original: return root + ".MOV"
        }
    }

    /// Which size suffix (if any) a version name gets.
    public enum SizeKey: Sendable, Equatable {
        case still(AssetVersionSize)
        case live(LivePhotoVersionSize)
    }

    /// `calculate_version_filename` without override: a movie-typed version of an image (or
    /// untyped) asset is a live video (live policy); otherwise stem + `.` + the UTI's
    /// extension (unknown UTI: the base's own extension text). Still `medium`/`thumb` get
    /// `-medium`/`-thumb`. Live sizes get their suffix from `liveFilename`, not here.
    public static func versionFilename(base: String, versionType: String, size: SizeKey,
                                       isImageItemType: Bool, livePolicy: LivePhotoMovFilenamePolicy) -> String {
        var name: String
        if isImageItemType && versionType == UTI.quickTimeMovie {
            name = livePhotoFilename(base, policy: livePolicy)
        } else {
            let (root, ext) = PythonPath.splitext(base)
            name = root + "." + (UTI.extensions[versionType] ?? String(ext.dropFirst()))
        }
        switch size {
        case .still(.medium): name = PythonPath.addSuffix("-medium", to: name)
        case .still(.thumb): name = PythonPath.addSuffix("-thumb", to: name)
        default: break
        }
        return name
    }

    /// Name of a still version for an asset, honouring an override from size selection.
    public static func stillFilename(_ asset: PhotoAsset, version: AssetVersion, size: AssetVersionSize,
                                     options: NamingOptions, override: String? = nil) -> String {
        if let override { return override }
        return versionFilename(base: baseFilename(asset, policy: options.fileMatchPolicy, keepUnicode: options.keepUnicode),
                               versionType: version.type, size: .still(size),
                               isImageItemType: asset.isImageLike, livePolicy: options.livePhotoMovFilenamePolicy)
    }

    /// Name of the live video for `--live-photo-size size`: the version name, then
    /// `-medium`/`-thumb` for non-original sizes (`IMG_1_HEVC-medium.MOV`).
    public static func liveFilename(_ asset: PhotoAsset, version: AssetVersion, size: LivePhotoVersionSize,
                                    options: NamingOptions) -> String {
        let name = versionFilename(base: baseFilename(asset, policy: options.fileMatchPolicy, keepUnicode: options.keepUnicode),
                                   versionType: version.type, size: .live(size),
                                   isImageItemType: asset.isImageLike, livePolicy: options.livePhotoMovFilenamePolicy)
        return size == .original ? name : PythonPath.addSuffix("-" + size.rawValue, to: name)
    }
}

/// The options that influence names only.
public struct NamingOptions: Sendable, Equatable {
    public var fileMatchPolicy: FileMatchPolicy
    public var keepUnicode: Bool
    public var livePhotoMovFilenamePolicy: LivePhotoMovFilenamePolicy

    public init(fileMatchPolicy: FileMatchPolicy = .nameSizeDedupWithSuffix, keepUnicode: Bool = false,
                livePhotoMovFilenamePolicy: LivePhotoMovFilenamePolicy = .suffix) {
        self.fileMatchPolicy = fileMatchPolicy
        self.keepUnicode = keepUnicode
        self.livePhotoMovFilenamePolicy = livePhotoMovFilenamePolicy
    }
}
