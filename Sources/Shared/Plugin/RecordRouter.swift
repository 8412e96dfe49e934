/// Decides, per photo record from the downloader, whether it enters the Immich pipeline and
/// which steps act on it:
/// - a photo with a file downloaded in this run (or that would be, in a dry run), and with
///   `--immich-process-existing` every photo not deleted in iCloud: every step;
/// - any other photo gets scan plus only the steps that have something to follow (`"steps"`):
///   - "fav": with `--process-existing-favorites` an iCloud favourite (the icloudpd Immich
///     plugin's favourites-only mode); with `--immich-favorite-mirror` a favourite flag that
///     changed either way;
///   - "album": with album rules, iCloud albums that changed (`"changed":["albums"]`), and with
///     `--immich-album-mirror` a photo deleted in iCloud;
///   - "trash": with `--immich-delete-removed`, a photo deleted in iCloud or back from Recently Deleted;
/// - and stays out when no step has anything to do.
public struct RecordRouter: Sendable {
    public enum Route: Sendable, Equatable {
        case full
        /// Scan plus these steps only, in pipeline order.
        case steps([ImmichStep])
        case skip
    }

    /// The steps a favourites-only record asks for (`PhotoRecord.wantsStep`).
    public static let favoritesOnlySteps: [ImmichStep] = [.scan, .fav]

    public let existing: ImmichPluginSettings.ExistingPhotos
    /// Without a favourite step, favourites-only records would only cost a lookup: left out.
    public let favoritesStep: Bool
    /// `immich-fav --mirror`: a favourite change either way goes to immich-fav.
    public let favoriteMirror: Bool
    /// Album rules are set; `albumMirror`: `--immich-album-mirror`; `followsICloudAlbums`: some
    /// rule names `{album}`, so a change of iCloud albums changes what the rules want (a
    /// date-only rule does not care).
    public let albumStep: Bool
    public let albumMirror: Bool
    public let followsICloudAlbums: Bool
    /// `immich-trash` runs: deleted and restored photos go to it.
    public let trashStep: Bool

    public init(existing: ImmichPluginSettings.ExistingPhotos, favoritesStep: Bool, favoriteMirror: Bool = false,
                albumStep: Bool = false, albumMirror: Bool = false, followsICloudAlbums: Bool = true, trashStep: Bool = false) {
        self.existing = existing
        self.favoritesStep = favoritesStep
        self.favoriteMirror = favoriteMirror && favoritesStep
        self.albumStep = albumStep
        self.albumMirror = albumMirror && albumStep
        self.followsICloudAlbums = followsICloudAlbums && albumStep
        self.trashStep = trashStep
    }

    public init(_ settings: ImmichPluginSettings) {
        self.init(existing: settings.existing, favoritesStep: settings.favorite != nil, favoriteMirror: settings.favoriteMirror,
                  albumStep: !settings.albumRules.isEmpty, albumMirror: settings.albumMirror,
                  followsICloudAlbums: settings.albumRules.contains { (try? AlbumRule($0))?.template.hasAlbum ?? false },
                  trashStep: settings.deleteRemoved)
    }

    static func changed(_ record: PhotoRecord, _ what: String) -> Bool {
        record.object["changed"]?.arrayValue?.contains(.string(what)) ?? false
    }

    /// True when some file of the record was written in this run.
    public static func isNew(_ record: PhotoRecord) -> Bool {
        record.fileRefs.contains { ref in
            let status = record.entry(ref)?["status"]?.stringValue
            return status == "downloaded" || status == "would-download"
        }
    }

    /// The steps after scan that have something to follow for a photo whose files all existed.
    func followingSteps(_ record: PhotoRecord) -> [ImmichStep] {
        var steps: [ImmichStep] = []
        if !record.isDeleted && favoritesStep {
            let favoritesOnly = existing == .favoritesOnly && record.isFavorite
            if favoritesOnly || (favoriteMirror && Self.changed(record, "favorite")) { steps.append(.fav) }
        }
        if (followsICloudAlbums && Self.changed(record, "albums")) || (albumMirror && record.isDeleted) { steps.append(.album) }
        if trashStep && (record.isDeleted || record.isRestored) { steps.append(.trash) }
        return steps
    }

    public func route(_ record: PhotoRecord) -> Route {
        if record.fileRefs.isEmpty { return .skip }
        // A deleted photo's files (status `deleted`) are never imported: only the steps that
        // follow deletions see it, whatever the options for existing photos say.
        if !record.isDeleted && (Self.isNew(record) || existing == .process) { return .full }
        let steps = followingSteps(record)
        return steps.isEmpty ? .skip : .steps([.scan] + steps)
    }

    /// The record as it enters the pipeline, or nil when it stays out.
    public func routed(_ record: PhotoRecord) -> PhotoRecord? {
        switch route(record) {
        case .skip: return nil
        case .full: return record
        case .steps(let steps):
            var marked = record
            marked.object["steps"] = .array(steps.map { .string($0.rawValue) })
            return marked
        }
    }
}
