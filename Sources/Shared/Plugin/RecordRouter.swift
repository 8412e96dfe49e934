/// Decides, per photo record from the downloader, whether it enters the Immich pipeline and
/// which steps act on it:
/// - a photo with a file downloaded in this run (or that would be, in a dry run): every step;
/// - a photo whose files all existed: every step with `--immich-process-existing`; with
///   `--process-existing-favorites`, iCloud favourites get `"steps":["scan","fav"]` (the
///   icloudpd Immich plugin's favourites-only mode) and the others stay out; otherwise it stays out;
/// - with `--immich-delete-removed`, a photo deleted in iCloud or back from Recently Deleted whose
///   files all existed: `"steps":["scan","trash"]`;
/// - with `--immich-favorite-mirror`, an existing photo whose favourite flag changed (either way):
///   `"steps":["scan","fav"]`.
public struct RecordRouter: Sendable {
    public enum Route: Sendable, Equatable {
        case full
        case favoritesOnly
        case trashOnly
        case skip
    }

    /// The steps a favourites-only record asks for (`PhotoRecord.wantsStep`).
    public static let favoritesOnlySteps: [ImmichStep] = [.scan, .fav]

    public let existing: ImmichPluginSettings.ExistingPhotos
    /// Without a favourite step, favourites-only records would only cost a lookup: left out.
    public let favoritesStep: Bool

    /// `immich-fav --mirror`: a favourite change either way goes to immich-fav.
    public let favoriteMirror: Bool
    /// `immich-trash` runs: deleted and restored photos go to it.
    public let trashStep: Bool

    public init(existing: ImmichPluginSettings.ExistingPhotos, favoritesStep: Bool, favoriteMirror: Bool = false, trashStep: Bool = false) {
        self.existing = existing
        self.favoritesStep = favoritesStep
        self.favoriteMirror = favoriteMirror && favoritesStep
        self.trashStep = trashStep
    }

    public init(_ settings: ImmichPluginSettings) {
        self.init(existing: settings.existing, favoritesStep: settings.favorite != nil, favoriteMirror: settings.favoriteMirror,
                  trashStep: settings.deleteRemoved)
    }

    static func favoriteChanged(_ record: PhotoRecord) -> Bool {
        record.object["changed"]?.arrayValue?.contains(.string("favorite")) ?? false
    }

    /// True when some file of the record was written in this run.
    public static func isNew(_ record: PhotoRecord) -> Bool {
        record.fileRefs.contains { ref in
            let status = record.entry(ref)?["status"]?.stringValue
            return status == "downloaded" || status == "would-download"
        }
    }

    public func route(_ record: PhotoRecord) -> Route {
        if record.fileRefs.isEmpty { return .skip }
        if Self.isNew(record) || existing == .process { return .full }
        if trashStep && (record.isDeleted || record.isRestored) { return .trashOnly }
        if favoriteMirror && !record.isDeleted && Self.favoriteChanged(record) { return .favoritesOnly }
        switch existing {
        case .process: return .full
        case .favoritesOnly: return record.isFavorite && favoritesStep ? .favoritesOnly : .skip
        case .skip: return .skip
        }
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
        case .trashOnly:
            var marked = record
            let fav: [ImmichStep] = favoriteMirror && Self.favoriteChanged(record) && !record.isDeleted ? [.fav] : []
            marked.object["steps"] = .array(([.scan] + fav + [.trash]).map { .string($0.rawValue) })
            return marked
        }
    }
}
