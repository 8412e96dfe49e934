import Shared

/// The simulated server version (the client's `ImmichVersion`) and the behaviour gates of the
/// fake server that hang off it; docs/references.md lists where each one comes from.
extension ImmichVersion {
    /// Parses "2.5.6" or "v2.5.6"; a missing patch counts as 0.
    init?(parsing text: String) {
        let trimmed = text.hasPrefix("v") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".").map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        self.init(parts[0]!, parts[1]!, parts.count == 3 ? parts[2]! : 0)
    }

    /// "2.5.6", as the server's version history spells it (`description` has a "v").
    var plain: String { "\(major).\(minor).\(patch)" }

    /// `/api/stacks` exists (v1.113).
    var hasStacks: Bool { self >= .stacksAPI }
    /// `PUT /assets/{id}` accepts `livePhotoVideoId` (v1.115).
    var hasManualLivePhotoLink: Bool { self >= .manualLiveLink }
    /// `POST /libraries/{id}/scan` takes no body (v1.116).
    var scanTakesNoBody: Bool { self >= ImmichVersion(1, 116) }
    /// `originalPath` search is a case-insensitive substring LIKE (v1.127).
    var pathSearchIsSubstring: Bool { self >= .substringPathSearch }
    /// `visibility` replaces isArchived/isVisible (v1.133).
    var hasVisibility: Bool { self >= .visibilityField }
    /// Scope names were renamed in v1.137 (`album.addAsset` → `albumAsset.create`).
    var hasNewScopeNames: Bool { self >= ImmichVersion(1, 137) }
    /// zod era: new error bodies, v4-only UUIDs, unknown keys stripped, no album assets (v3.0).
    var isZod: Bool { major >= 3 }
    /// Structured `filter` / `orderBy` / `cursor` search (v3.2).
    var hasSearchFilter: Bool { self >= .structuredSearch }

    var albumAddAssetScope: String { hasNewScopeNames ? "albumAsset.create" : "album.addAsset" }
    var albumRemoveAssetScope: String { hasNewScopeNames ? "albumAsset.delete" : "album.removeAsset" }
}
