/// The one summary of a plugin run: the `{"type":"summary"}` line `immich-batch --commit`
/// prints at end of input, plus what the wrapper routed (existing photos left out never reach
/// the pipeline, so only the wrapper can count them).
public struct PluginSummary: Sendable, Equatable {
    /// Photo records the downloader handed over.
    public var photos = 0
    public var downloaded = 0
    public var existing = 0
    /// Photos deleted in iCloud (`"deleted": true`): neither downloaded nor existing.
    public var deleted = 0
    /// Existing photos sent through scan and some of the later steps only (`RecordRouter`): with
    /// the favourite step, with the album step (their albums changed), with immich-trash.
    public var favoritesOnly = 0
    public var albumsOnly = 0
    public var trashOnly = 0
    /// Existing photos left out of the pipeline.
    public var skipped = 0
    /// The committer's summary line (nil when the pipeline failed before printing it).
    public var pipeline: JSON?
    /// Some step ended with exit status 5: some records carry errors and stay pending.
    public var partial = false

    public init() {}

    mutating func count(_ record: PhotoRecord, route: RecordRouter.Route) {
        photos += 1
        if record.isDeleted { deleted += 1 } else if RecordRouter.isNew(record) { downloaded += 1 } else { existing += 1 }
        switch route {
        case .full: break
        case .skip: skipped += 1
        case .steps(let steps):
            if steps.contains(.fav) { favoritesOnly += 1 }
            if steps.contains(.album) { albumsOnly += 1 }
            if steps.contains(.trash) { trashOnly += 1 }
        }
    }

    func step(_ step: ImmichStep, _ counter: String) -> Int { pipeline?["steps"]?[step.command]?[counter]?.intValue ?? 0 }
    func total(_ key: String) -> Int { pipeline?[key]?.intValue ?? 0 }

    public var filesRegistered: Int { total("filesRegistered") }
    public var scans: Int { step(.scan, "scans") }
    public var stacks: Int { step(.stack, "stacksCreated") + step(.stack, "stacksFixed") }
    public var favorites: Int { step(.fav, "favorites") }
    public var unfavorites: Int { step(.fav, "unfavorites") }
    public var trashed: Int { step(.trash, "trashed") }
    public var restored: Int { step(.trash, "restored") }
    public var albumAdditions: Int { step(.album, "albumAdds") }
    public var albumRemovals: Int { step(.album, "albumRemovals") }
    public var liveLinks: Int { step(.stack, "liveLinks") }
    public var errors: Int { total("errors") }
    public var pending: Int { total("pending") }
    public var exitCode: ExitCode { partial || errors > 0 ? .partial : .ok }

    /// One JSON line for scripts: the committer's summary with the wrapper's counts.
    public var json: JSON {
        var object = pipeline?.objectValue ?? ["type": "summary"]
        // The committer's count: records through the pipeline, journal replays included.
        object["processed"] = pipeline?["photos"] ?? .int(0)
        object["photos"] = .int(photos)
        object["downloaded"] = .int(downloaded)
        object["existing"] = .int(existing)
        object["deleted"] = .int(deleted)
        object["favoritesOnly"] = .int(favoritesOnly)
        object["skipped"] = .int(skipped)
        if albumsOnly > 0 { object["albumsOnly"] = .int(albumsOnly) }
        if trashOnly > 0 { object["trashOnly"] = .int(trashOnly) }
        return .object(object)
    }

    public var sentence: String {
        // The mirroring counts show only when something was mirrored.
        let deletedPhotos = deleted > 0 ? ", \(deleted) deleted in iCloud" : ""
        let deletions = trashOnly > 0 ? ", \(trashOnly) sent to immich-trash" : ""
        let albumChanges = albumsOnly > 0 ? ", \(albumsOnly) with album changes" : ""
        let removals = albumRemovals > 0 ? ", \(albumRemovals) album removal(s)" : ""
        let unmarked = unfavorites > 0 ? ", \(unfavorites) unfavourite(s)" : ""
        let trash = trashed + restored > 0 ? ", \(trashed) moved to Immich's trash, \(restored) restored from it" : ""
        return "Immich: \(downloaded) photo(s) downloaded, \(existing) existing (\(favoritesOnly) favourites-only, \(skipped) left out)\(deletedPhotos)\(albumChanges)\(deletions); "
            + "\(filesRegistered) file(s) registered, \(scans) scan(s), \(stacks) stack(s), \(favorites) favourite(s)\(unmarked), "
            + "\(albumAdditions) album addition(s)\(removals), \(liveLinks) live link(s)\(trash); \(errors) photo(s) with errors, \(pending) pending in the journal"
    }
}
