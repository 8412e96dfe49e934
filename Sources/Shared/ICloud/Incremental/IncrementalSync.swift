import Foundation

/// One icloudpd pass with the state database: a full listing the first time (or when the
/// options changed, a token was refused, `--full-listing`, or a listing option such as
/// `--until-found` was given), otherwise only what changed since the stored zone token:
/// `changes/database`, then `changes/zone` page by page until `moreComing` is false.
/// The zone token is stored only when every change up to it was handled.
struct IncrementalSync {
    let pass: LibraryPass.Settings
    let service: PhotosService
    let downloader: FileDownloader
    let records: RecordSink?
    let state: StateDatabase
    let forceFull: Bool

    var settings: DownloadSettings { pass.download }
    var fingerprint: String { OptionsFingerprint.of(settings, library: pass.library) }
    var zone: PhotoLibraryZone { pass.zone }

    /// The listing options that keep icloudpd's meaning on every run: they select what is
    /// listed, so each run needs the ordered listing.
    var listingFiltersGiven: Bool {
        settings.recent != nil || settings.filter.createdBefore != nil || settings.filter.createdAfter != nil || !pass.albums.isEmpty
    }

    /// Returns the number of photos that failed. `--until-found` only shortens a listing that
    /// looks for what is new: once a valid change token is stored, the change feed answers that
    /// exactly, so it shapes only the first listing and the ones after a fallback.
    func run() async throws(ToolError) -> Int {
        if listingFiltersGiven { return try await full(storeToken: false, changesOnly: false) }
        if forceFull { return try await full(storeToken: settings.untilFound == nil, changesOnly: false) }
        guard let token = try state.zoneToken(zone.name) else { return try await full(storeToken: true, changesOnly: true) }
        if try state.meta("fingerprint") != fingerprint {
            // Every photo's record: the files or their paths may differ now.
            Log.info("The download options changed since the last run: listing the whole library")
            return try await full(storeToken: true, changesOnly: false)
        }
        if records != nil, try !state.albumsKnown() {
            // Records say which albums hold each photo: a listing reads them once (a state
            // database from before albums, or runs that wrote no records).
            Log.info("The state database does not know the albums yet: listing the whole library")
            return try await full(storeToken: true, changesOnly: true)
        }
        return try await changes(since: token)
    }

    // MARK: full listing

    /// `changesOnly`: records only for what differs from the state database (new, favourite
    /// flips, edits, files downloaded now), as a change run gives; `findDeletions`: photos the
    /// state database holds that a complete listing no longer has are deletions.
    func full(storeToken: Bool, changesOnly: Bool, findDeletions: Bool = false) async throws(ToolError) -> Int {
        // The database token is taken before the listing, so nothing that changes during it is missed.
        let databaseToken = storeToken ? try? await service.databaseChanges(zone.isShared ? .shared : .private, token: nil).syncToken : nil
        let recorder = SyncStateRecorder(state: state, mode: changesOnly ? .changesOnly : .full)
        var download = LibraryPass(settings: pass, service: service, downloader: downloader, records: records)
        download.observer = recorder
        let failed = try await download.run()
        if findDeletions && settings.untilFound == nil && !settings.filter.skipVideos && !settings.filter.skipPhotos {
            let listed = recorder.listedMasters
            for asset in try state.liveAssets() where !listed.contains(asset.id) { try delete(asset) }
        }
        let complete = failed == 0 && recorder.problems == 0
        if complete, let albums = recorder.listedAlbums { try state.replaceAlbums(albums) }
        if storeToken, complete, let token = recorder.listingToken {
            // Without albums read, the token moves past album changes nobody kept.
            if recorder.listedAlbums == nil { try state.forgetAlbums() }
            try state.commitTokens(zone: zone.name, zoneToken: token, databaseToken: databaseToken, fingerprint: fingerprint)
        }
        return failed
    }

    /// A photo deleted in iCloud: its record (files kept on disk), then the state database.
    func delete(_ asset: StateDatabase.Asset) throws(ToolError) {
        Log.info("Deleted in iCloud: \(asset.id) (local files kept)")
        if let records {
            do { try records.write(Self.deletionRecord(asset, files: try state.files(of: asset.id))) } catch {
                Log.error("cannot write record: \(error)")
            }
        }
        try state.markDeleted(asset.id)
    }

    // MARK: changes

    enum ZoneOutcome {
        case batch(ChangeBatch, token: String, requests: Int)
        case refused(String)
    }

    func changes(since token: String) async throws(ToolError) -> Int {
        let database: PhotosService.Database = zone.isShared ? .shared : .private
        var databaseToken = try state.meta("database_token")
        if let known = databaseToken, let reply = try? await service.databaseChanges(database, token: known) {
            databaseToken = reply.syncToken ?? known
            if reply.zoneNames.isEmpty && !reply.moreComing {
                try state.commitTokens(zone: zone.name, zoneToken: token, databaseToken: databaseToken, fingerprint: fingerprint)
                Log.info("No changes in iCloud since the last run")
                return 0
            }
            if !reply.zoneNames.contains(zone.name) && !reply.moreComing {
                try state.commitTokens(zone: zone.name, zoneToken: token, databaseToken: databaseToken, fingerprint: fingerprint)
                Log.info("No changes in \(zone.name) since the last run")
                return 0
            }
        }
        let batch: ChangeBatch, newToken: String
        switch try await readZone(since: token) {
        case .refused(let reason):
            Log.info("iCloud refused the saved change token (\(reason)): listing the whole library")
            return try await full(storeToken: true, changesOnly: true, findDeletions: true)
        case .batch(let b, let t, let requests):
            batch = b
            newToken = t
            Log.debug("\(b.recordCount) changed records in \(requests) page(s)")
        }
        // Albums are followed once a listing read them (runs without records keep them too).
        var albums: AlbumChanges? = nil
        if try state.albumsKnown() {
            guard let read = try AlbumChanges(batch, state: state) else {
                return try await full(storeToken: true, changesOnly: true, findDeletions: true)
            }
            albums = read
        }
        guard var plan = try ChangePlan(batch, state: state) else {
            return try await full(storeToken: true, changesOnly: true, findDeletions: true)
        }
        if let albums, try !plan.addAlbumChanges(albums, batch: batch, state: state) {
            return try await full(storeToken: true, changesOnly: true, findDeletions: true)
        }
        let recorder = SyncStateRecorder(state: state, mode: .incremental, albums: albums)
        for deletion in plan.deletions { try delete(deletion) }
        let photos = plan.photos.filter { !recorder.changes($0).isEmpty }
        var failed = 0
        if !photos.isEmpty {
            Log.info("Downloading changes of \(photos.count) photo(s) to \(settings.options.directory) ...")
            // Newest first, as the listing would give them (dedup and twins behave the same).
            let sorted = photos.sorted { $0.assetDate > $1.assetDate }
            let page = CloudKitQueryResponse(records: sorted.flatMap { [$0.asset, $0.master] })
            var run = DownloadRun(service: service, downloader: downloader, settings: settings, records: records, progress: nil)
            run.observer = recorder
            run.albums = albums
            run.pageSource = { offset in .success(offset == 0 ? page : CloudKitQueryResponse(records: [])) }
            let summary = try await run.run(.all, zone: zone)
            failed = summary.failedPhotos.count
            if failed > 0 {
                Log.error("\(failed) photo(s) could not be downloaded; they will be retried next run: \(summary.failedPhotos.prefix(20).joined(separator: ", "))")
            }
        } else {
            Log.info("No photo to download among the changes")
        }
        if failed == 0 && recorder.problems == 0 {
            try albums?.commit()
            try state.commitTokens(zone: zone.name, zoneToken: newToken, databaseToken: databaseToken, fingerprint: fingerprint)
        }
        return failed
    }

    /// Every `changes/zone` page until `moreComing` is false (empty pages included).
    func readZone(since token: String) async throws(ToolError) -> ZoneOutcome {
        var batch = ChangeBatch()
        var current = token
        var requests = 0
        while true {
            let page: ZoneChangesPage
            do { page = try await service.zoneChanges(zone, token: current) } catch {
                if error.message.contains("unreadable") { return .refused(error.message) }
                throw error  // transient trouble: no expensive fallback
            }
            requests += 1
            if let code = page.errorCode {
                if code == "BAD_REQUEST" || code == "ZONE_NOT_FOUND" { return .refused("\(code): \(page.reason ?? "")") }
                throw .runtime("iCloud Photos: changes/zone failed: \(code) \(page.reason ?? "")")
            }
            batch.add(page.records)
            guard let next = page.syncToken, !next.isEmpty else { return .refused("no token in the answer") }
            current = next
            if !page.moreComing { return .batch(batch, token: current, requests: requests) }
        }
    }

    /// A photo deleted in iCloud: `deleted`, what changed, no album, and the files the state
    /// database recorded for it with status `deleted` (nothing to import; they may still be on disk).
    static func deletionRecord(_ asset: StateDatabase.Asset, files: [StateDatabase.File]) -> JSON {
        var object = JSONObject()
        object["type"] = "photo"
        object["id"] = .string(asset.id)
        object["favorite"] = .bool(asset.favorite)
        object["deleted"] = true
        object["changed"] = ["deleted"]
        object["albums"] = .array([])
        var stills = JSONObject(), live = JSONObject()
        for file in files {
            let entry: JSON = ["path": .string(PhotoRecordBuilder.absolute(file.path)), "status": "deleted"]
            if file.slot.hasPrefix("live:") { live[String(file.slot.dropFirst(5))] = entry } else { stills[file.slot] = entry }
        }
        object["files"] = .object(stills)
        if !live.isEmpty { object["live"] = .object(live) }
        return .object(object)
    }
}
