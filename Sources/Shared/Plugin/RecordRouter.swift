/// Decides, per photo record from the downloader, whether it enters the Immich pipeline and
/// which steps act on it:
/// - a photo with a file downloaded in this run (or that would be, in a dry run): every step;
/// - a photo whose files all existed: every step with `--immich-process-existing`; with
///   `--process-existing-favorites`, iCloud favourites get `"steps":["scan","fav"]` (the
///   icloudpd Immich plugin's favourites-only mode) and the others stay out; otherwise it stays out;
/// - but an existing photo whose iCloud albums changed (`"changed":["albums"]`), or that was
///   deleted while albums are mirrored, still gets the album step (`"steps":["scan","album"]`,
///   plus "fav" when it is favourites-only as well), so `{album}` rules follow iCloud.
public struct RecordRouter: Sendable {
    public enum Route: Sendable, Equatable {
        case full
        case favoritesOnly
        /// Scan and album (and favourite, when favourites-only applies too).
        case albumsOnly
        case skip
    }

    /// The steps a favourites-only record asks for (`PhotoRecord.wantsStep`).
    public static let favoritesOnlySteps: [ImmichStep] = [.scan, .fav]

    public let existing: ImmichPluginSettings.ExistingPhotos
    /// Without a favourite step, favourites-only records would only cost a lookup: left out.
    public let favoritesStep: Bool
    /// Album rules are set; `albumMirror`: `--immich-album-mirror`.
    public let albumStep: Bool
    public let albumMirror: Bool

    public init(existing: ImmichPluginSettings.ExistingPhotos, favoritesStep: Bool, albumStep: Bool = false, albumMirror: Bool = false) {
        self.existing = existing
        self.favoritesStep = favoritesStep
        self.albumStep = albumStep
        self.albumMirror = albumMirror
    }

    public init(_ settings: ImmichPluginSettings) {
        self.init(existing: settings.existing, favoritesStep: settings.favorite != nil, albumStep: !settings.albumRules.isEmpty,
                  albumMirror: settings.albumMirror)
    }

    /// An existing photo the album step must still see: its albums changed, or (mirroring) it was deleted.
    func albumsMoved(_ record: PhotoRecord) -> Bool {
        guard albumStep else { return false }
        if record.object["changed"]?.arrayValue?.contains("albums") ?? false { return true }
        return albumMirror && record.isDeleted
    }

    private func favoritesOnly(_ record: PhotoRecord) -> Bool { existing == .favoritesOnly && record.isFavorite && favoritesStep }

    /// True when some file of the record was written in this run.
    public static func isNew(_ record: PhotoRecord) -> Bool {
        record.fileRefs.contains { ref in
            let status = record.entry(ref)?["status"]?.stringValue
            return status == "downloaded" || status == "would-download"
        }
    }

    public func route(_ record: PhotoRecord) -> Route {
        if record.fileRefs.isEmpty { return .skip }
        // A deletion record lists the deleted photo's files (status `deleted`): nothing to import,
        // only mirroring steps act on it.
        if record.isDeleted { return albumsMoved(record) ? .albumsOnly : .skip }
        if Self.isNew(record) { return .full }
        if existing == .process { return .full }
        if albumsMoved(record) { return .albumsOnly }
        return favoritesOnly(record) ? .favoritesOnly : .skip
    }

    /// The record as it enters the pipeline, or nil when it stays out.
    public func routed(_ record: PhotoRecord) -> PhotoRecord? {
        switch route(record) {
        case .skip: return nil
        case .full: return record
        case .favoritesOnly:
            var marked = record
            marked.object["steps"] = .array(Self.favoritesOnlySteps.map { .string($0.rawValue) })
            return marked
        case .albumsOnly:
            var marked = record
            let steps: [ImmichStep] = favoritesOnly(record) ? [.scan, .fav, .album] : [.scan, .album]
            marked.object["steps"] = .array(steps.map { .string($0.rawValue) })
            return marked
        }
    }
}
