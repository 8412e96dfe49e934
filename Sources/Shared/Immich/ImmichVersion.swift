/// A server version, compared numerically (v3.2.0 > v2.10.1).
public struct ImmichVersion: Sendable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    public init?(_ text: String) {
        let parts = text.trimmingPrefix("v").split(separator: ".").map { Int($0) }
        guard parts.count >= 2, let major = parts[0], let minor = parts[1] else { return nil }
        self.init(major, minor, parts.count > 2 ? (parts[2] ?? 0) : 0)
    }

    public var description: String { "v\(major).\(minor).\(patch)" }

    public static func < (lhs: ImmichVersion, rhs: ImmichVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    // The versions where behaviour changes (docs/references.md#immich-versions). The client's
    // steps read them through `ImmichCapabilities.table`, never directly; the sandbox's gates
    // hang off them too.
    /// `/api/libraries` and other plural paths.
    public static let pluralPaths = ImmichVersion(1, 106)
    /// `/api/stacks`.
    public static let stacksAPI = ImmichVersion(1, 113)
    /// `livePhotoVideoId` on `PUT /assets/{id}`.
    public static let manualLiveLink = ImmichVersion(1, 115)
    /// `originalPath` search became a case-insensitive substring match.
    public static let substringPathSearch = ImmichVersion(1, 127)
    /// `visibility` replaced isArchived/isVisible; default search returns timeline only.
    public static let visibilityField = ImmichVersion(1, 133)
    /// v3.0: search without `visibility` returns every visibility but locked; zod error bodies;
    /// `GET /albums/{id}` without `assets`.
    public static let searchAllVisibilities = ImmichVersion(3, 0)
    /// Structured `filter` with exact `originalPath.in` and cursor paging.
    public static let structuredSearch = ImmichVersion(3, 2)
}
