import Foundation

/// One icloudpd pass after sign-in: resolve the library, list albums or libraries, or download
/// each album.
struct LibraryPass {
    /// What a pass works on: the download settings, the library and albums, whether it only
    /// lists them, and whether it draws a progress line.
    struct Settings: Sendable {
        var download: DownloadSettings
        /// `--library`.
        var library = PhotoLibraryZone.primary.name
        /// `--album`, in order; empty: the whole library.
        var albums: [String] = []
        var listAlbums = false
        var listLibraries = false
        var progressBar = true

        /// The `--library` zone, by name.
        var zone: PhotoLibraryZone {
            PhotoLibraryZone(name: library, zoneID: ["zoneName": .string(library)], isShared: library.hasPrefix("SharedSync"))
        }
    }

    let settings: Settings
    let service: PhotosService
    let downloader: FileDownloader
    let records: RecordSink?
    /// The incremental sync's state keeper, nil without one.
    var observer: (any DownloadRunObserver)? = nil

    /// One pass over the configuration; returns the number of photos that failed.
    func run() async throws(ToolError) -> Int {
        let primary = PhotoLibraryZone.primary
        try await service.checkIndexingState(primary)
        var zones = try await service.zones(.private)
        if settings.listLibraries || !zones.contains(where: { $0.name == settings.library }) {
            do { zones += try await service.zones(.shared) } catch { Log.error("library exception: \(error)") }
        }
        if settings.listLibraries {
            for zone in zones { Log.shared.emitStdout(zone.name) }
            return 0
        }
        guard let zone = zones.first(where: { $0.name == settings.library }) else {
            throw .runtime("Unknown library: \(settings.library)")
        }
        if zone.name != primary.name { try await service.checkIndexingState(zone) }
        let topLevel = zone.isShared ? nil : try await service.albumListing(zone)
        let available = PhotosService.albums(topLevel: topLevel)
        if settings.listAlbums {
            Log.shared.emitStdout("Albums:")
            for album in available { Log.shared.emitStdout(album.name) }
            return 0
        }
        var selected: [PhotoAlbum] = []
        for name in settings.albums {
            guard let album = available.first(where: { $0.name == name }) else { throw .runtime("Unknown album: \(name)") }
            selected.append(album)
        }
        if selected.isEmpty { selected = [.all] }
        // Records say which user albums hold each photo, and the state database keeps them for
        // the change runs: the whole library's memberships, read first.
        var memberships: AlbumMemberships? = nil
        if (records != nil || observer != nil) && !settings.download.onlyPrintFilenames {
            let read = try await service.albumMemberships(zone, topLevel: topLevel)
            observer?.albumsListed(read)
            memberships = read
        }

        var failed: [String] = []
        let download = settings.download
        for album in selected {
            let count = try await service.count(album, zone: zone)
            Log.debug(album == .all ? "Looking up all photos and videos..." : "Looking up all photos and videos from album \(album.name)...")
            Log.info("Downloading \(Self.howMany(download, count: count)) \(download.options.sizes.sizes.map(\.rawValue).joined(separator: ",")) \(Self.what(download)) to \(download.options.directory) ...")
            let progress = settings.progressBar ? ProgressLine.ifTerminal() : nil
            progress?.start(total: download.recent.map { min($0, count) } ?? count)
            var run = DownloadRun(service: service, downloader: downloader, settings: download, records: records, progress: progress)
            run.observer = observer
            run.albums = memberships
            let summary = try await run.run(album, zone: zone)
            progress?.clear()
            failed += summary.failedPhotos
            if !summary.stoppedByUntilFound && summary.failedPhotos.isEmpty {
                Log.info("All \(Self.what(download)) have been downloaded")
            }
            Log.debug("\(summary.photos) photos: \(summary.filesDownloaded) files downloaded (\(summary.bytesDownloaded) bytes), \(summary.filesExisting) already there")
            if download.onlyPrintFilenames { break }  // icloudpd prints the first album only
        }
        if !failed.isEmpty {
            Log.error("\(failed.count) photo(s) could not be downloaded; they will be retried next run: \(failed.prefix(20).joined(separator: ", "))\(failed.count > 20 ? ", …" : "")")
        }
        return failed.count
    }

    static func howMany(_ s: DownloadSettings, count: Int) -> String {
        if s.untilFound != nil { return "???" }
        if let recent = s.recent { return recent == 1 ? "the first" : String(min(recent, count)) }
        return String(count)
    }

    static func what(_ s: DownloadSettings) -> String {
        if s.filter.skipVideos { return "photos" }
        if s.filter.skipPhotos { return "videos" }
        return "photos and videos"
    }
}
