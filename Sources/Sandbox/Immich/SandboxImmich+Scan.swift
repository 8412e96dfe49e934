import Foundation

/// The asynchronous library scan (docs/references.md#immich-external-libraries-and-scans):
/// `POST /scan` only queues; the job waits `scanDurationMs`, crawls the disk, inserts new paths,
/// restores returning files and trashes vanished ones, then (optionally) links live photos like
/// metadata extraction would.
extension SandboxImmich {
    func queueScan(libraryId: String) throws {
        let index: Int = try withWorld { world in
            guard world.libraries[libraryId] != nil else { throw ImmichError.badRequest("Library not found") }
            world.scans.append(ScanRecord(libraryId: libraryId, requestedAt: Date()))
            return world.scans.count - 1
        }
        scans.enqueue { [weak self] in self?.runScan(index: index, libraryId: libraryId) }
    }

    private func runScan(index: Int, libraryId: String) {
        while currentConfig.holdScans { usleep(5000) }
        let config = currentConfig
        if config.scanDurationMs > 0 { usleep(useconds_t(config.scanDurationMs) * 1000) }
        let importPaths: [String]? = world.withLock { world in
            world.scans[index].startedAt = Date()
            return world.libraries[libraryId]?.importPaths
        }
        guard let importPaths else { return }
        let found = LibraryCrawler.crawl(importPaths: importPaths)
        world.withLock { world in
            let inserted = apply(found, to: &world, libraryId: libraryId, scanIndex: index)
            if config.autoLinkLivePhotos { autoLinkLivePhotos(newAssets: inserted, in: &world, libraryId: libraryId) }
            world.libraries[libraryId]?.refreshedAt = Date()
            world.scans[index].finishedAt = Date()
        }
    }

    /// Returns the ids of the assets inserted.
    private func apply(_ found: [LibraryCrawler.FoundFile], to world: inout ImmichWorld, libraryId: String, scanIndex: Int) -> [String] {
        guard let library = world.libraries[libraryId] else { return [] }
        let now = Date()
        var seen = Set<String>()
        var inserted: [String] = []
        for file in found {
            seen.insert(file.path)
            if let existing = world.assetByLibraryPath[ImmichWorld.pathKey(libraryId, file.path)] {
                // Only an offline asset comes back: one a user trashed stays in the trash while its
                // file is there (Immich's sync checks offline assets only).
                if world.assets[existing]!.isOffline {
                    world.assets[existing]!.isOffline = false
                    world.assets[existing]!.deletedAt = nil
                    world.assets[existing]!.trashedByUser = false
                    world.assets[existing]!.updatedAt = now
                    world.scans[scanIndex].restored += 1
                }
                if world.assets[existing]!.fileModifiedAt != file.modified {
                    world.assets[existing]!.fileModifiedAt = file.modified
                }
                continue
            }
            let name = String(file.path.split(separator: "/").last ?? "")
            let asset = AssetRecord(
                id: SandboxUUID.make(), ownerId: library.ownerId, libraryId: libraryId, originalPath: file.path,
                originalFileName: name, type: file.type, checksum: LibraryCrawler.pathChecksum(file.path),
                fileSize: file.size, createdAt: now, updatedAt: now, fileCreatedAt: file.modified,
                fileModifiedAt: file.modified, sequence: world.takeSequence())
            world.insertAsset(asset)
            inserted.append(asset.id)
        }
        world.scans[scanIndex].inserted = inserted.count
        // Vanished files (or files now outside the import paths) go offline and to the trash.
        for id in world.assetOrder {
            guard let asset = world.assets[id], asset.libraryId == libraryId, !seen.contains(asset.originalPath),
                  !asset.isOffline else { continue }
            world.assets[id]!.isOffline = true
            world.assets[id]!.deletedAt = now
            world.assets[id]!.updatedAt = now
            world.scans[scanIndex].offlined += 1
        }
        return inserted
    }

    /// Stand-in for ContentIdentifier matching: same folder, same basename (case-insensitive), .MOV ↔ image.
    /// Only the pairs a new asset can be part of are read (`ImmichWorld.assetIdsByLiveKey`).
    private func autoLinkLivePhotos(newAssets: [String], in world: inout ImmichWorld, libraryId: String) {
        func isMOV(_ asset: AssetRecord) -> Bool {
            asset.type == .video && MediaTypes.lowercasedExtension(asset.originalPath) == ".mov"
        }
        let fresh = Set(newAssets)
        let keys = Set(newAssets.compactMap { world.assets[$0].map { ImmichWorld.liveKey($0.originalPath) } })
        for pairKey in keys {
            var images: [String] = []
            var video: String?
            for id in world.assetIdsByLiveKey[pairKey] ?? [] {
                guard let asset = world.assets[id], asset.libraryId == libraryId, !asset.isTrashed else { continue }
                if asset.type == .image { images.append(id) } else if isMOV(asset) { video = id }
            }
            guard let videoId = video else { continue }
            for imageId in images where fresh.contains(videoId) || fresh.contains(imageId) {
                guard world.assets[imageId]!.livePhotoVideoId == nil,
                      world.assets[imageId]!.ownerId == world.assets[videoId]!.ownerId else { continue }
                world.assets[imageId]!.livePhotoVideoId = videoId
                if world.assets[videoId]!.visibility == .timeline { world.assets[videoId]!.visibility = .hidden }
                world.removeFromAllAlbums(videoId)
            }
        }
    }
}
