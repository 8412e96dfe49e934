/// What one Immich server version offers a client, read from one table (docs/references.md
/// names the Immich source of each row). Every step asks this, never the version number.
public struct ImmichCapabilities: Sendable, Equatable {
    /// How `POST /search/metadata` finds assets by path.
    public enum SearchShape: Sendable, Equatable {
        /// Flat fields, `originalPath` an exact match, `page`/`nextPage` paging.
        case flatExact
        /// Flat fields, `originalPath` a case-insensitive substring (ILIKE '%…%').
        case flatSubstring
        /// `filter` (`originalPath.in` exact, `id` eq/ne only), `cursor`/`nextCursor` paging;
        /// trashed assets match unless `trashedAt: {eq: null}`.
        case structured
    }

    /// Which assets a flat search without visibility fields returns.
    public enum SearchVisibility: Sendable, Equatable {
        /// `withArchived` / `isVisible` flags; archived and hidden (linked live videos) left out.
        case legacyFlags
        /// `visibility` field; timeline only unless asked.
        case timelineOnly
        /// Every visibility but locked.
        case allButLocked
    }

    /// How an album's members are listed.
    public enum AlbumListing: Sendable, Equatable {
        /// `assets` of `GET /albums/{id}`.
        case albumAssets
        /// Flat `POST /search/metadata` with `albumIds` (albums lost `assets`).
        case flatSearch
        /// `filter.albumIds.any` with cursor paging.
        case filterSearch
    }

    /// The body of an error answer.
    public enum ErrorShape: Sendable, Equatable {
        /// NestJS: `message` (string or array of strings), `error`, `statusCode`, `correlationId`.
        case nest
        /// zod: `message` plus `errors[{path, message}]`; the correlation id in `X-Correlation-ID`.
        case zod
    }

    public var search: SearchShape
    public var visibility: SearchVisibility
    /// `/api/stacks`.
    public var stacksAPI: Bool
    /// The field of `PUT /assets/{id}` that links a still to its live video, when there is one.
    public var liveLinkField: String?
    public var albumListing: AlbumListing
    public var errors: ErrorShape

    /// The oldest version the tools work with (`/api/libraries` and the other plural paths).
    public static let minimum = ImmichVersion.pluralPaths

    /// Each row holds from its version (`ImmichVersion`'s named versions) until the next row's.
    public static let table: [(since: ImmichVersion, capabilities: ImmichCapabilities)] = [
        (.pluralPaths, .init(search: .flatExact, visibility: .legacyFlags, stacksAPI: false, liveLinkField: nil, albumListing: .albumAssets, errors: .nest)),
        (.stacksAPI, .init(search: .flatExact, visibility: .legacyFlags, stacksAPI: true, liveLinkField: nil, albumListing: .albumAssets, errors: .nest)),
        (.manualLiveLink, .init(search: .flatExact, visibility: .legacyFlags, stacksAPI: true, liveLinkField: "livePhotoVideoId", albumListing: .albumAssets, errors: .nest)),
        (.substringPathSearch, .init(search: .flatSubstring, visibility: .legacyFlags, stacksAPI: true, liveLinkField: "livePhotoVideoId", albumListing: .albumAssets, errors: .nest)),
        (.visibilityField, .init(search: .flatSubstring, visibility: .timelineOnly, stacksAPI: true, liveLinkField: "livePhotoVideoId", albumListing: .albumAssets, errors: .nest)),
        (.searchAllVisibilities, .init(search: .flatSubstring, visibility: .allButLocked, stacksAPI: true, liveLinkField: "livePhotoVideoId", albumListing: .flatSearch, errors: .zod)),
        (.structuredSearch, .init(search: .structured, visibility: .allButLocked, stacksAPI: true, liveLinkField: "livePhotoVideoId", albumListing: .filterSearch, errors: .zod)),
        // v3.3.0–v3.3.5: the requests the steps send are unchanged from v3.2.
    ]

    /// The row `version` falls in; nil below the minimum.
    public static func of(_ version: ImmichVersion) -> ImmichCapabilities? {
        table.last { $0.since <= version }?.capabilities
    }
}
