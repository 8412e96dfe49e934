/// The simulated server version and the behaviour gates that hang off it (immich-api.md §10, §14).
struct ImmichVersion: Comparable, Sendable, CustomStringConvertible {
    var major: Int
    var minor: Int
    var patch: Int

    init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major; self.minor = minor; self.patch = patch
    }

    /// Parses "2.5.6" or "v2.5.6"; a missing patch counts as 0.
    init?(parsing text: String) {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".").map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        self.init(parts[0]!, parts[1]!, parts.count == 3 ? parts[2]! : 0)
    }

    static func < (a: Self, b: Self) -> Bool { (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }
    var description: String { "\(major).\(minor).\(patch)" }

    /// `/api/stacks` exists (v1.113).
    var hasStacks: Bool { self >= ImmichVersion(1, 113) }
    /// `PUT /assets/{id}` accepts `livePhotoVideoId` (v1.115).
    var hasManualLivePhotoLink: Bool { self >= ImmichVersion(1, 115) }
    /// `POST /libraries/{id}/scan` takes no body (v1.116).
    var scanTakesNoBody: Bool { self >= ImmichVersion(1, 116) }
    /// `originalPath` search is a case-insensitive substring LIKE (v1.127).
    var pathSearchIsSubstring: Bool { self >= ImmichVersion(1, 127) }
    /// `visibility` replaces isArchived/isVisible (v1.133).
    var hasVisibility: Bool { self >= ImmichVersion(1, 133) }
    /// Scope names were renamed in v1.137 (`album.addAsset` → `albumAsset.create`).
    var hasNewScopeNames: Bool { self >= ImmichVersion(1, 137) }
    /// zod era: new error bodies, v4-only UUIDs, unknown keys stripped, no album assets (v3.0).
    var isZod: Bool { major >= 3 }
    /// Structured `filter` / `orderBy` / `cursor` search (v3.2).
    var hasSearchFilter: Bool { self >= ImmichVersion(3, 2) }

    var albumAddAssetScope: String { hasNewScopeNames ? "albumAsset.create" : "album.addAsset" }
    var albumRemoveAssetScope: String { hasNewScopeNames ? "albumAsset.delete" : "album.removeAsset" }
}
