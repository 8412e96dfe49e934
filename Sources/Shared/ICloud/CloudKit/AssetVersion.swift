/// A still/video size the user can request with `--size` (icloudpd `AssetVersionSize`).
public enum AssetVersionSize: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case original, adjusted, alternative, medium, thumb
}

/// A live-photo video size (`--live-photo-size`). icloudpd's internal value for `thumb` is
/// `small`, which makes `--live-photo-size thumb` crash at start-up (icloudpd quirk 9,
/// docs/references.md#icloudpd-quirks). We
/// accept `thumb` (safe fix); the file name then gets `-thumb`, as the code path would give.
public enum LivePhotoVersionSize: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    case original, medium, thumb
}

/// One downloadable version of an asset: a `<prefix>Res` resource plus its `<prefix>FileType`.
public struct AssetVersion: Sendable, Equatable, Hashable {
    /// Byte size announced by the server (`Res.size`).
    public var size: Int64
    /// `Res.downloadURL`, used as given (the `${f}` placeholder is not substituted).
    public var url: String
    /// The file type UTI (`<prefix>FileType`).
    public var type: String
    /// `Res.fileChecksum` (base64).
    public var checksum: String

    public init(size: Int64, url: String, type: String, checksum: String) {
        self.size = size
        self.url = url
        self.type = type
        self.checksum = checksum
    }
}

/// CloudKit field prefixes per size (docs/references.md#icloudpd-asset-model).
public enum VersionFieldPrefix {
    public static func photo(_ size: AssetVersionSize) -> String {
        switch size {
        case .original: return "resOriginal"
        case .alternative: return "resOriginalAlt"
        case .medium: return "resJPEGMed"
        case .thumb: return "resJPEGThumb"
        case .adjusted: return "resJPEGFull"
        }
    }

    /// Movie assets only have original, medium and thumb.
    public static func movie(_ size: AssetVersionSize) -> String? {
        switch size {
        case .original: return "resOriginal"
        case .medium: return "resVidMed"
        case .thumb: return "resVidSmall"
        case .adjusted, .alternative: return nil
        }
    }

    public static func live(_ size: LivePhotoVersionSize) -> String {
        switch size {
        case .original: return "resOriginalVidCompl"
        case .medium: return "resVidMed"
        case .thumb: return "resVidSmall"
        }
    }
}
