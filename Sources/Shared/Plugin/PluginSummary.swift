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
    /// Existing photos sent through scan + favourite only.
    public var favoritesOnly = 0
    /// Existing photos deleted in iCloud or back from Recently Deleted, sent through scan + trash only.
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
        if route == .favoritesOnly { favoritesOnly += 1 }
        if route == .trashOnly { trashOnly += 1 }
        if route == .skip { skipped += 1 }
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
        if trashOnly > 0 { object["trashOnly"] = .int(trashOnly) }
        return .object(object)
    }

    public var sentence: String {
        // The mirroring counts show only when something was mirrored.
        let deletedPhotos = deleted > 0 ? ", \(deleted) deleted in iCloud" : ""
        let deletions = trashOnly > 0 ? ", \(trashOnly) sent to immich-trash only" : ""
        let unmarked = unfavorites > 0 ? ", \(unfavorites) unfavourite(s)" : ""
        let trash = trashed + restored > 0 ? ", \(trashed) moved to Immich's trash, \(restored) restored from it" : ""
        return "Immich: \(downloaded) photo(s) downloaded, \(existing) existing (\(favoritesOnly) favourites-only, \(skipped) left out)\(deletedPhotos)\(deletions); "
            + "\(filesRegistered) file(s) registered, \(scans) scan(s), \(stacks) stack(s), \(favorites) favourite(s)\(unmarked), "
            + "\(albumAdditions) album addition(s), \(liveLinks) live link(s)\(trash); \(errors) photo(s) with errors, \(pending) pending in the journal"
    }
}
