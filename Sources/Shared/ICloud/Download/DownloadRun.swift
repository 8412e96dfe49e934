import Foundation

/// Downloads one listing: pages are read one at a time (the next one prefetched), every
/// photo is planned in listing order by `DownloadPlanner` (the one place names are decided,
/// so dedup and twins behave as in icloudpd's sequential run), then its files go to a pool of
/// `threads` concurrent downloads. Memory stays flat: only the current page and the files in
/// flight are held. A failed file marks its photo failed; the run goes on.
public struct DownloadRun: Sendable {
    public let service: PhotosService
    public let downloader: FileDownloader
    public let settings: DownloadSettings
    public let records: RecordSink?
    public let progress: ProgressLine?
    public let zoneRule: any ZoneRule
    /// The incremental sync's state keeper (nil: none).
    public var observer: (any DownloadRunObserver)? = nil
    /// The user albums holding each photo, for its record's `albums` (nil: not known, no key).
    public var albums: (any PhotoAlbums)? = nil
    /// Pages from somewhere else than the listing (a change batch); nil: `service.page`.
    public var pageSource: (@Sendable (Int) async -> Result<CloudKitQueryResponse, ToolError>)? = nil

    public init(service: PhotosService, downloader: FileDownloader, settings: DownloadSettings, records: RecordSink?,
                progress: ProgressLine?, zoneRule: any ZoneRule = SystemZone()) {
        self.service = service
        self.downloader = downloader
        self.settings = settings
        self.records = records
        self.progress = progress
        self.zoneRule = zoneRule
    }

    struct Outcome: Sendable {
        var job: FileJob
        var error: String?
    }

    /// A photo whose files are in flight.
    struct PendingPhoto {
        var asset: PhotoAsset
        var plan: AssetPlan
        var name: String
        var remaining: Int
        var statuses: [RecordSlot: FileStatus]
        var errors: [String]
        /// Downloaded files left as `.part` until the record is journaled (plugin mode).
        var staged: [FileJob] = []
    }

    public func run(_ album: PhotoAlbum, zone: PhotoLibraryZone) async throws(ToolError) -> DownloadSummary {
        let inFlight = InFlightFiles()
        let view = InFlightView(inFlight: inFlight)
        var summary = DownloadSummary()
        var failure: ToolError? = nil
        // Plugin mode: a photo's files get their final names only once its record is journaled.
        let publisher: PhotoPublisher? = settings.dryRun || settings.onlyPrintFilenames ? nil : records?.journal.map { journal in
            PhotoPublisher(journal: journal, inFlight: inFlight, settle: { [self] item, forwarded in
                settle(item.asset, plan: item.plan, statuses: item.statuses, record: item.record, forwarded: forwarded)
            }, failedPhoto: { [observer] asset in observer?.failed(asset) })
        }
        await withTaskGroup(of: Outcome.self) { group in
            var running = 0
            var pending: [Int: PendingPhoto] = [:]
            var sequence = 0
            var untilFoundCounter = 0
            var offset = 0

            func finish(_ outcome: Outcome) {
                running -= 1
                // A staged file keeps its name and .part until published: later photos see it.
                if outcome.error != nil || !outcome.job.deferPublish {
                    inFlight.release(outcome.job)
                }
                guard var photo = pending[outcome.job.photo] else { return }
                if let error = outcome.error {
                    Log.error(error)
                    photo.errors.append(error)
                } else {
                    Log.info("Downloaded \(LogPath.truncateMiddle(outcome.job.path))")
                    photo.statuses[outcome.job.slot] = .downloaded
                    if outcome.job.deferPublish { photo.staged.append(outcome.job) }
                    summary.filesDownloaded += 1
                    IterationCounters.shared.addDownloaded(1)
                    summary.bytesDownloaded += outcome.job.version.size
                }
                photo.remaining -= 1
                if photo.remaining == 0 {
                    pending[outcome.job.photo] = nil
                    complete(photo, &summary, publisher: publisher, inFlight: inFlight)
                } else {
                    pending[outcome.job.photo] = photo
                }
            }

            var nextPage: Task<Result<CloudKitQueryResponse, ToolError>, Never>? = fetch(album, zone, offset: 0)
            listing: while let current = nextPage {
                let page: CloudKitQueryResponse
                switch await current.value {
                case .success(let p): page = p
                case .failure(let e): failure = e; break listing
                }
                observer?.listed(page)
                let masters = page.masterCount
                if masters == 0 { break }
                let pairs = page.pairs()
                for missing in pairs.unpairedMasters { Log.error("Photo \(missing) has no CPLAsset record: skipped") }
                let pageStart = offset
                offset += masters
                // Prefetch the next page while this one downloads (not with --until-found:
                // its stop point should cost no extra page, as in icloudpd).
                let wantMore = settings.recent.map { pageStart + masters < $0 } ?? true
                nextPage = wantMore && settings.untilFound == nil ? fetch(album, zone, offset: offset) : nil

                for pair in pairs.pairs {
                    if let recent = settings.recent, summary.photos >= recent { nextPage = nil; break listing }
                    if let limit = settings.untilFound, untilFoundCounter >= limit {
                        Log.info("Found \(untilFoundCounter) consecutive previously downloaded photos. Exiting")
                        summary.stoppedByUntilFound = true
                        nextPage = nil
                        break listing
                    }
                    let asset = PhotoAsset(master: pair.master, asset: pair.asset)
                    let name = FileNaming.baseFilename(asset, policy: settings.options.naming.fileMatchPolicy,
                                                       keepUnicode: settings.options.naming.keepUnicode)
                    if let reason = settings.filter.skipReason(asset, name: name) {
                        Log.debug(reason)
                        continue
                    }
                    summary.photos += 1
                    progress?.advance()
                    let plan = DownloadPlanner.plan(asset, options: settings.options, fileSystem: view, zone: zoneRule)
                    if let error = plan.error {
                        Log.error("\(name): \(error)")
                        continue
                    }
                    for message in plan.skipped.values { Log.error(message) }
                    untilFoundCounter = plan.applyUntilFound(to: untilFoundCounter)
                    sequence += 1
                    var photo = PendingPhoto(asset: asset, plan: plan, name: name, remaining: 0, statuses: [:], errors: [])
                    var jobs: [FileJob] = []
                    var slots: [(RecordSlot, PlannedFile)] = plan.order.compactMap { s in plan.files[s].map { (.still(s), $0) } }
                    if let live = plan.live, let size = plan.liveSize { slots.append((.live(size), live)) }
                    for (slot, file) in slots where file.ownAction {
                        if !file.needsDownload {
                            Log.debug("\(LogPath.truncateMiddle(file.path)) \(file.deduplicated ? "deduplicated" : "already exists")")
                            photo.statuses[slot] = .existing
                            summary.filesExisting += 1
                            continue
                        }
                        if settings.onlyPrintFilenames {
                            Log.shared.emitStdout(file.path)
                            photo.statuses[slot] = .wouldDownload
                            continue
                        }
                        if settings.dryRun {
                            Log.info("[DRY RUN] Would download \(LogPath.truncateMiddle(file.path))")
                            photo.statuses[slot] = .wouldDownload
                            continue
                        }
                        let directory = (file.path as NSString).deletingLastPathComponent
                        let part = inFlight.claimPart(PythonPath.join(directory, FileJob.partName(checksum: file.version.checksum)))
                        inFlight.add(file.path, size: file.version.size)
                        jobs.append(FileJob(photo: sequence, slot: slot, path: file.path, partPath: part, version: file.version,
                                            mtime: asset.assetDate, label: "\(name) (\(Self.sizeName(slot)))",
                                            exif: exifRequest(asset, path: file.path), deferPublish: publisher != nil))
                    }
                    photo.remaining = jobs.count
                    if jobs.isEmpty {
                        complete(photo, &summary, publisher: publisher, inFlight: inFlight)
                        continue
                    }
                    pending[sequence] = photo
                    for job in jobs {
                        while running >= max(1, settings.threads), let outcome = await group.next() { finish(outcome) }
                        Log.debug("Downloading \(LogPath.truncateMiddle(job.path))...")
                        running += 1
                        group.addTask {
                            do { try await downloader.fetch(job); return Outcome(job: job, error: nil) } catch {
                                return Outcome(job: job, error: "\(error)")
                            }
                        }
                    }
                }
                // --until-found reads the next page only once this one is done and the limit not reached.
                if let limit = settings.untilFound, wantMore {
                    if untilFoundCounter >= limit {
                        Log.info("Found \(untilFoundCounter) consecutive previously downloaded photos. Exiting")
                        summary.stoppedByUntilFound = true
                        break listing
                    }
                    nextPage = fetch(album, zone, offset: offset)
                }
            }
            nextPage?.cancel()
            while let outcome = await group.next() { finish(outcome) }
        }
        if let publisher { summary.failedPhotos += await publisher.finish() }
        if let failure { throw failure }
        return summary
    }

    func fetch(_ album: PhotoAlbum, _ zone: PhotoLibraryZone, offset: Int) -> Task<Result<CloudKitQueryResponse, ToolError>, Never> {
        if let pageSource { return Task { await pageSource(offset) } }
        let service = self.service
        return Task {
            do throws(ToolError) { return .success(try await service.page(album, zone: zone, offset: offset)) } catch { return .failure(error) }
        }
    }

    func exifRequest(_ asset: PhotoAsset, path: String) -> ExifDateTimeRequest? {
        guard settings.setExifDateTime, ExifDateTimeRequest.applies(to: path) else { return nil }
        return ExifDateTimeRequest(dateTime: ExifDateTimeRequest.localDateTime(asset.assetDate, zone: zoneRule),
                                   overwrite: settings.metadataOverwrite)
    }

    static func sizeName(_ slot: RecordSlot) -> String {
        switch slot {
        case .still(let s): s.rawValue
        case .live(let s): "live \(s.rawValue)"
        }
    }

    /// All files of a photo are downloaded or already there, or one failed.
    func complete(_ photo: PendingPhoto, _ summary: inout DownloadSummary, publisher: PhotoPublisher?, inFlight: InFlightFiles) {
        if !photo.errors.isEmpty {
            summary.failedPhotos.append(photo.name)
            observer?.failed(photo.asset)
            // Its finished files stay as .part (never named without a record): the next run resumes them.
            for job in photo.staged {
                inFlight.release(job)
            }
            return
        }
        // The observer may add what changed, or drop the record of an unchanged photo.
        let record = records.flatMap { _ in
            let line = PhotoRecordBuilder.record(photo.asset, plan: photo.plan, statuses: photo.statuses,
                                                 albums: albums?.names(of: photo.asset))
            return observer.map { $0.record(line, for: photo.asset) } ?? line
        }
        if let publisher {
            publisher.submit(.init(name: photo.name, asset: photo.asset, plan: photo.plan, statuses: photo.statuses,
                                   record: record, staged: photo.staged))
        } else {
            settle(photo.asset, plan: photo.plan, statuses: photo.statuses, record: record, forwarded: nil)
        }
    }

    /// A photo whose files are in place: sidecar, record, state.
    func settle(_ asset: PhotoAsset, plan: AssetPlan, statuses: [RecordSlot: FileStatus], record: JSON?, forwarded: JSON?) {
        if !settings.dryRun && !settings.onlyPrintFilenames {
            MetadataWriter(settings: settings).apply(asset, plan: plan, statuses: statuses)
        }
        if let records, let record {
            do { try records.write(record, forwarded: forwarded) } catch { Log.error("cannot write record: \(error)") }
        }
        // After the record: a crash in between re-emits the photo rather than losing it.
        observer?.completed(asset, plan: plan, statuses: statuses)
    }
}
