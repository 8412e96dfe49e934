/// The file extensions a library scan imports (what `GET /server/media-types` reports).
enum MediaTypes {
    static let image: [String] = [
        ".3fr", ".ari", ".arw", ".avif", ".bmp", ".cap", ".cin", ".cr2", ".cr3", ".crw", ".dcr", ".dng", ".erf",
        ".fff", ".gif", ".heic", ".heif", ".hif", ".iiq", ".insp", ".jp2", ".jpe", ".jpeg", ".jpg", ".jxl",
        ".k25", ".kdc", ".mrw", ".nef", ".nrw", ".orf", ".ori", ".pef", ".png", ".psd", ".raf", ".raw", ".rw2",
        ".rwl", ".sr2", ".srf", ".srw", ".svg", ".tif", ".tiff", ".webp", ".x3f",
    ]
    static let video: [String] = [
        ".3gp", ".3gpp", ".avi", ".flv", ".insv", ".m2t", ".m2ts", ".m4v", ".mkv", ".mov", ".mp4", ".mpe",
        ".mpeg", ".mpg", ".mts", ".vob", ".webm", ".wmv",
    ]
    static let sidecar: [String] = [".xmp"]

    private static let imageSet = Set(image)
    private static let videoSet = Set(video)

    static func lowercasedExtension(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[dot...]).lowercased()
    }

    /// IMAGE or VIDEO for a supported file, nil for anything the scan skips.
    static func assetType(forPath path: String) -> AssetType? {
        let ext = lowercasedExtension(path)
        if imageSet.contains(ext) { return .image }
        if videoSet.contains(ext) { return .video }
        return nil
    }

    static func mimeType(forPath path: String) -> String {
        switch lowercasedExtension(path) {
        case ".jpg", ".jpeg", ".jpe": return "image/jpeg"
        case ".heic": return "image/heic"
        case ".heif", ".hif": return "image/heif"
        case ".png": return "image/png"
        case ".gif": return "image/gif"
        case ".tif", ".tiff": return "image/tiff"
        case ".webp": return "image/webp"
        case ".avif": return "image/avif"
        case ".dng": return "image/dng"
        case ".mov": return "video/quicktime"
        case ".mp4", ".m4v": return "video/mp4"
        case ".webm": return "video/webm"
        case ".mkv": return "video/x-matroska"
        case ".avi": return "video/avi"
        case ".3gp", ".3gpp": return "video/3gpp"
        default: return assetType(forPath: path) == .video ? "video/octet-stream" : "image/octet-stream"
        }
    }
}
