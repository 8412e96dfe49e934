import Foundation

/// icloudpd's per-asset filters: `--skip-videos`, `--skip-photos`, `--skip-created-before/after`.
public struct AssetFilter: Sendable, Equatable {
    public var skipVideos = false
    public var skipPhotos = false
    public var createdBefore: Date? = nil
    public var createdAfter: Date? = nil

    public init(skipVideos: Bool = false, skipPhotos: Bool = false, createdBefore: Date? = nil, createdAfter: Date? = nil) {
        self.skipVideos = skipVideos
        self.skipPhotos = skipPhotos
        self.createdBefore = createdBefore
        self.createdAfter = createdAfter
    }

    /// nil to keep the asset, else icloudpd's debug message for skipping it.
    public func skipReason(_ asset: PhotoAsset, name: String) -> String? {
        let type = asset.itemType
        if skipVideos && type == .movie {
            return "Skipping \(name), only downloading photos. (Item type was: MOVIE)"
        }
        if skipPhotos && type == .image {
            return "Skipping \(name), only downloading videos. (Item type was: IMAGE)"
        }
        if let before = createdBefore, asset.assetDate < before {
            return "Skipping \(name), as it was created \(asset.assetDate), before \(before)."
        }
        if let after = createdAfter, asset.assetDate > after {
            return "Skipping \(name), as it was created \(asset.assetDate), after \(after)."
        }
        return nil
    }

    /// `--skip-created-before/after` values: `<N>d` (now − N days) or an ISO date/time (naive = local zone).
    public static func parseDate(_ text: String, now: Date = Date()) -> Date? {
        let scalars = Array(text.unicodeScalars)
        var digits = 0
        while digits < scalars.count, ("0"..."9").contains(scalars[digits]) { digits += 1 }
        if digits > 0, digits < scalars.count, scalars[digits] == "d" || scalars[digits] == "D",
           let n = Double(String(String.UnicodeScalarView(scalars[0..<digits]))) {
            return now.addingTimeInterval(-n * 86400)
        }
        let withZone = ISO8601DateFormatter()
        withZone.formatOptions = [.withInternetDateTime]
        if let d = withZone.date(from: text) { return d }
        withZone.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = withZone.date(from: text) { return d }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = TimeZone.current
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"] {
            local.dateFormat = format
            if let d = local.date(from: text) { return d }
        }
        return nil
    }
}
