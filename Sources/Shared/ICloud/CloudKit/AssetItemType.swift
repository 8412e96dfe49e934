/// Item type of an asset (icloudpd `AssetItemType`). "Live photo" is not a type: it is an
/// image with a live-video version.
public enum AssetItemType: String, Sendable, Equatable, Codable {
    case image
    case movie
}

/// UTI tables of icloudpd 1.32.2 (docs/references.md#icloudpd-asset-model).
public enum UTI {
    public static let quickTimeMovie = "com.apple.quicktime-movie"
    public static let jpeg = "public.jpeg"
    public static let heic = "public.heic"
    public static let png = "public.png"

    /// UTI → file extension (`ITEM_TYPE_EXTENSIONS`). Note `NRF` for Nikon NRW (sic).
    public static let extensions: [String: String] = [
        "public.heic": "HEIC",
        "public.heif": "HEIF",
        "public.jpeg": "JPG",
        "public.png": "PNG",
        "com.apple.quicktime-movie": "MOV",
        "com.adobe.raw-image": "DNG",
        "com.canon.cr2-raw-image": "CR2",
        "com.canon.crw-raw-image": "CRW",
        "com.sony.arw-raw-image": "ARW",
        "com.fuji.raw-image": "RAF",
        "com.panasonic.rw2-raw-image": "RW2",
        "com.nikon.nrw-raw-image": "NRF",
        "com.pentax.raw-image": "PEF",
        "com.nikon.raw-image": "NEF",
        "com.olympus.raw-image": "ORF",
        "com.canon.cr3-raw-image": "CR3",
        "com.olympus.or-raw-image": "ORF",
    ]

    /// UTI → item type (`ITEM_TYPES`).
    public static func itemType(_ uti: String) -> AssetItemType? {
        if uti == quickTimeMovie { return .movie }
        return extensions[uti] != nil ? .image : nil
    }

    /// icloudpd's RAW test: the UTI contains `raw`.
    public static func isRaw(_ uti: String) -> Bool { uti.contains("raw") }
}
