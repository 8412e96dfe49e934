import Foundation

/// The work of `immich-scan` on one batch: validate paths, look assets up, scan at most once
/// if something is missing, poll until everything is registered or the timeout passes, and
/// annotate `asset` ids. A file that never appears becomes an error on its record only.
public final class LibraryScanner {
    public struct Stats: Sendable {
        public var files = 0
        public var alreadyRegistered = 0
        public var newlyRegistered = 0
        public var missing = 0
        public var scans = 0
        public var requests = 0
    }

    public static let step = ImmichStep.scan
    /// How long to wait for a scan to register missing files (0: forever), unless told.
    public static let defaultTimeout: Seconds = 5
    /// Time between checks while waiting for a scan, unless told.
    public static let defaultPollInterval: Seconds = 1
    let session: ImmichSession
    let lookup: AssetLookup
    let mapping: PathMapping
    let timeout: Double
    let pollInterval: Double
    let dryRun: Bool
    public private(set) var stats = Stats()
    private var batchNumber = 0
    /// Assets inserted since this run's first scan began (flat-search servers).
    private let inserted: InsertedAssets
    /// v3.2+ finds any batch by exact path in a request or two.
    private var exactSearch: Bool { session.client.capabilities.search == .structured }
    /// When the last scan's wait ended and how long it took. A library scan walks the whole
    /// import path; during a long import the next one starts no sooner than that long after
    /// (at most `maxScanPause`), so the server scans at most half the time and each scan finds
    /// more new files.
    private var lastScan: (ended: Date, took: Double)?
    static let maxScanPause: Double = 60

    public init(session: ImmichSession, mapping: PathMapping, timeout: Double, pollInterval: Double, concurrency: Int = ImmichConcurrency.default, dryRun: Bool) {
        self.session = session
        self.lookup = AssetLookup(session: session, concurrency: concurrency)
        self.inserted = InsertedAssets(lookup: lookup)
        self.mapping = mapping
        self.timeout = timeout
        self.pollInterval = pollInterval
        self.dryRun = dryRun
    }

    /// Where each server path is used: (record index, file).
    typealias Uses = [String: [(record: Int, ref: PhotoRecord.FileRef)]]

    public func process(_ records: inout [PhotoRecord]) async throws {
        batchNumber += 1
        let started = Date()
        var uses: Uses = [:]
        var fresh = Set<String>(), stale = Set<String>()
        for index in records.indices where records[index].wantsStep(.scan) {
            collect(&records[index], index: index, into: &uses, fresh: &fresh, stale: &stale)
        }
        fresh.subtract(stale)
        guard !uses.isEmpty else { return }
        let wanted = Set(uses.keys)
        stats.files += wanted.count
        // Files of photos deleted in iCloud are only looked up (they may be gone from disk; a file
        // Immich does not have is simply no asset), and with those of restored photos also in
        // Immich's trash, so immich-trash can trash or restore them and a rerun finds them again.
        let lookupOnly = Set(uses.filter { $0.value.allSatisfy { records[$0.record].isDeleted } }.keys)
        let trashAware = Set(uses.filter { $0.value.contains { records[$0.record].isDeleted || records[$0.record].isRestored } }.keys)

        var found: [String: ImmichAsset] = [:]
        var missing = wanted
        do {
            if !trashAware.isEmpty {
                found = try await lookup.find(trashAware, includeTrashed: true)
                // A restored photo's file that a scan trashed (offline) comes back with the next
                // scan that finds it, not with a trash restore: look for it as missing.
                for (path, asset) in found where asset.isTrashed && asset.isOffline && !lookupOnly.contains(path) {
                    found[path] = nil
                }
            }
            let others = wanted.subtracting(trashAware)
            // Once this run has scanned, files just downloaded can only have been registered
            // since that scan began: they are among the assets inserted since then, read
            // incrementally (what the previous batches left plus what is new). Files that
            // existed before may be registered anywhere: those the inserted assets already
            // read do not hold are looked up by path. Before the first scan (e.g. the same
            // input fed twice) everything is looked up by path, so a rerun never scans for
            // nothing. v3.2+ looks everything up by exact path.
            if inserted.started && !exactSearch {
                found.merge(try await inserted.take(fresh.intersection(others))) { $1 }
                let existing = others.subtracting(fresh)
                found.merge(inserted.known(existing)) { $1 }
                found.merge(try await lookup.find(existing.subtracting(found.keys))) { $1 }
            } else {
                found.merge(try await lookup.find(others)) { $1 }
            }
        } catch {
            fail(&records, uses: uses, paths: wanted, message: "cannot look up assets: \(session.client.describe(error))")
            return
        }
        missing.subtract(found.keys)
        stats.alreadyRegistered += found.count
        if !missing.isDisjoint(with: lookupOnly) {
            Log.debug("batch \(batchNumber): \(missing.intersection(lookupOnly).count) file(s) of deleted photos not in Immich: nothing to trash")
            missing.subtract(lookupOnly)
        }

        if !missing.isEmpty {
            if dryRun {
                Log.info("dry run: batch \(batchNumber): would scan library '\(session.library.name)' for \(missing.count) unregistered file(s), e.g. \(missing.sorted().first!)")
            } else {
                do {
                    let before = found.count
                    try await scanAndWait(for: &missing, found: &found)
                    stats.newlyRegistered += found.count - before
                } catch {
                    fail(&records, uses: uses, paths: missing, message: "library scan failed: \(session.client.describe(error))")
                    missing = []
                }
            }
        }

        for (path, asset) in found {
            for use in uses[path] ?? [] { records[use.record].set(use.ref, "asset", .string(asset.id)) }
        }
        if !dryRun {
            let reason = timeout > 0 ? "after waiting \(formatSeconds(timeout)) for the scan (raise --scan-timeout, or check the file type is supported and not excluded)"
                : "after the scan"
            for (offset, path) in missing.sorted().enumerated() {
                stats.missing += 1
                if offset < 5 { Log.warning("\(path) is not registered in Immich \(reason)") }
                if offset == 5 { Log.warning("… and \(missing.count - 5) more file(s) not registered") }
                for use in uses[path] ?? [] {
                    records[use.record].addError(Self.step, "\(use.ref.group.rawValue).\(use.ref.size): \(path) is not registered in Immich \(reason)")
                }
            }
        }
        var perRecord: [Int: (assets: Int, files: Int)] = [:]
        for (path, list) in uses {
            for use in list {
                perRecord[use.record, default: (0, 0)].files += 1
                if found[path] != nil { perRecord[use.record, default: (0, 0)].assets += 1 }
            }
        }
        for (index, counts) in perRecord where !dryRun {
            records[index].markDone(.scan, ["assets": .int(counts.assets), "files": .int(counts.files)])
        }
        Log.info("batch \(batchNumber): \(records.count) photo(s), \(wanted.count) file(s): \(wanted.count - missing.count) registered, \(missing.count) missing (\(String(format: "%.3f", Date().timeIntervalSince(started))) s)")
    }

    /// Validates a record's files and notes the server path of each.
    func collect(_ record: inout PhotoRecord, index: Int, into uses: inout Uses, fresh: inout Set<String>, stale: inout Set<String>) {
        let replayed = record.object["replayed"]?.boolValue ?? false
        for ref in record.fileRefs {
            let allowed = ref.group == .files ? PhotoRecord.stillSizes : PhotoRecord.liveSizes
            guard allowed.contains(ref.size) else {
                record.addError(Self.step, "unknown size '\(ref.size)' in \(ref.group.rawValue) (expected \(allowed.joined(separator: ", ")))")
                continue
            }
            guard let path = record.path(ref) else { continue }
            guard path.hasPrefix("/") else {
                record.addError(Self.step, "\(ref.group.rawValue).\(ref.size): relative path '\(path)' (paths must be absolute)")
                continue
            }
            let serverPath = mapping.serverPath(for: path)
            guard let importPath = session.library.importPath(containing: serverPath) else {
                let seen = serverPath == PathMapping.normalize(path) ? "" : " (Immich sees \(serverPath))"
                record.addError(Self.step, "\(ref.group.rawValue).\(ref.size): \(path)\(seen) is outside the library's import paths (\(session.library.importPaths.joined(separator: ", "))); download under an import path or map it with --path-map LOCAL=SERVER")
                continue
            }
            if serverPath.dropFirst(importPath.count).split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                // Immich's crawl skips hidden files and folders: waiting for a scan would be in vain.
                record.addError(Self.step, "\(ref.group.rawValue).\(ref.size): \(path) is hidden (a name in its path starts with '.'), and Immich's library scan never imports hidden files")
                continue
            }
            uses[serverPath, default: []].append((index, ref))
            // "downloaded" this run (not replayed after a crash): not registered yet, unless by
            // a scan of this run. A path shared with an existing file is not fresh; an entry
            // that fell back to another size's file says nothing of its own.
            let entry = record.entry(ref)
            if !replayed && entry?["status"]?.stringValue == "downloaded" {
                fresh.insert(serverPath)
            } else if entry?["fallback"]?.stringValue == nil || replayed {
                stale.insert(serverPath)
            }
        }
    }

    func scanAndWait(for missing: inout Set<String>, found: inout [String: ImmichAsset]) async throws {
        if let lastScan {
            let pause = lastScan.ended.addingTimeInterval(min(lastScan.took, Self.maxScanPause)).timeIntervalSinceNow
            if pause > 0 {
                Log.debug("batch \(batchNumber): next scan in \(formatSeconds(pause)) (the last one took \(formatSeconds(lastScan.took)))")
                try await Task.sleep(nanoseconds: UInt64(pause * 1e9))
            }
        }
        let began = Date()
        defer { lastScan = (Date(), Date().timeIntervalSince(began)) }
        let response = try await session.client.raw("POST", "/libraries/\(session.library.id)/scan")
        stats.scans += 1
        // Poll only the rows inserted since this run's first scan began, by the server's own
        // clock, incrementally; without a Date header, fall back to path lookups.
        if let scanStart = response.serverDate.map({ $0.addingTimeInterval(-2) }), !inserted.started { inserted.start(at: scanStart) }
        let incremental = inserted.started && !exactSearch
        let deadline = timeout > 0 ? Date().addingTimeInterval(timeout) : nil
        Log.debug("scan of library '\(session.library.name)' queued for \(missing.count) file(s)")
        var lookedUpByPath = !incremental
        let scanned = Date()
        while !missing.isEmpty {
            let remaining = deadline.map { $0.timeIntervalSinceNow } ?? pollInterval
            if remaining <= 0 { break }
            try await Task.sleep(nanoseconds: UInt64(min(pollInterval, remaining) * 1e9))
            var more: [String: ImmichAsset]
            if incremental { more = try await inserted.take(missing) } else { more = try await lookup.find(missing) }
            if !lookedUpByPath && !missing.subtracting(more.keys).isEmpty && (!more.isEmpty || Date().timeIntervalSince(scanned) >= 3) {
                // Once, by path, what the polls do not bring after the scan brought others (or
                // after 3 s): a file registered before the window, or one an earlier batch of this
                // run already took (two records, one path).
                lookedUpByPath = true
                more.merge(try await lookup.find(missing.subtracting(more.keys))) { $1 }
            }
            found.merge(more) { $1 }
            missing.subtract(more.keys)
        }
        if !missing.isEmpty {
            // Last look by path: an earlier scan (or the nightly one) may have registered them,
            // and archived assets are hidden from a plain search on v1.133–v2.x.
            let more = try await lookup.find(missing, includeArchived: true)
            found.merge(more) { $1 }
            missing.subtract(more.keys)
        }
    }

    func fail(_ records: inout [PhotoRecord], uses: Uses, paths: Set<String>, message: String) {
        var seen = Set<Int>()
        for path in paths {
            for use in uses[path] ?? [] where seen.insert(use.record).inserted {
                records[use.record].addError(Self.step, message)
            }
        }
        Log.error("batch \(batchNumber): \(message)")
    }


    public func statsLine() -> JSON {
        [
            "type": "stats", "stage": .string(Self.step.command), "files": .int(stats.files),
            "alreadyRegistered": .int(stats.alreadyRegistered), "newlyRegistered": .int(stats.newlyRegistered),
            "missing": .int(stats.missing), "scans": .int(stats.scans),
        ]
    }
}

func formatSeconds(_ seconds: Double) -> String { String(format: "%.1f s", seconds) }
