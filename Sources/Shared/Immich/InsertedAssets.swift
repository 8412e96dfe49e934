import Foundation

/// The assets of our library inserted since a watermark, read incrementally: each refresh asks
/// only for assets created (in Immich: registered by a scan) since the newest one already read,
/// less a margin for rows committed out of order while they are recent, so a batch costs what
/// was inserted since the previous batch, never the size of its folder or of the library.
/// Assets read but not yet asked for wait in a table; an asset leaves it once a batch takes it
/// (the last 4,096 taken are kept for a later record naming the same file).
/// Flat-search servers only: v3.2+ looks batches up by exact path (`AssetLookup.findExact`).
final class InsertedAssets {
    let lookup: AssetLookup
    /// Assets created less than this before the newest one read are read again (and skipped).
    static let margin: TimeInterval = 1

    /// One search variant (visibility fields) with its own watermark.
    private struct Reader {
        var fields: JSONObject
        /// Server clock; nil until `start`.
        var floor: Date?
        /// Ids already read whose creation is at or after `floor` (read again by the next query).
        var recent: [String: Date] = [:]
    }

    private var readers: [Reader]
    private var waiting: [String: ImmichAsset] = [:]
    /// The last assets taken, for a later record naming the same file (two photos, one name):
    /// at most `takenKept`, oldest out first, so memory stays flat however long the run.
    private var taken: [String: ImmichAsset] = [:]
    private var takenOrder: [String] = []
    private var takenStart = 0
    static let takenKept = 4096
    private(set) var resultsRead = 0

    init(lookup: AssetLookup) {
        self.lookup = lookup
        readers = lookup.visibilities(hasVideo: true, includeArchived: false).map { Reader(fields: $0) }
    }

    var started: Bool { readers[0].floor != nil }

    /// Starts (or moves back) the window: assets created from `date` on (server clock) are read.
    func start(at date: Date) {
        for index in readers.indices where readers[index].floor.map({ date < $0 }) ?? true {
            readers[index].floor = date
        }
    }

    /// The wanted paths among the inserted assets, read up to now; they leave the table.
    /// The second variant (linked live videos, hidden before v3) is read only when a wanted
    /// video is still missing, and first when only videos are.
    func take(_ paths: Set<String>) async throws -> [String: ImmichAsset] {
        guard started, !paths.isEmpty else { return [:] }
        var found: [String: ImmichAsset] = [:]
        for path in paths where waiting[path] == nil { if let asset = taken[path] { found[path] = asset } }
        let paths = paths.subtracting(found.keys)
        let onlyVideos = paths.filter { waiting[$0] == nil }.allSatisfy(AssetLookup.isVideo)
        for index in onlyVideos ? Array(readers.indices.reversed()) : Array(readers.indices) {
            let missing = paths.filter { waiting[$0] == nil }
            if missing.isEmpty { break }
            if index > 0 && !missing.contains(where: AssetLookup.isVideo) { continue }
            try await refresh(index)
        }
        for path in paths {
            guard let asset = waiting.removeValue(forKey: path) else { continue }
            found[path] = asset
            remember(asset)
        }
        return found
    }

    /// The wanted paths among the inserted assets already read (waiting, or taken by an earlier
    /// batch), without a request: a file that was on disk already (a shared name, a photo
    /// handled again) was most often registered by this run's scans. They leave the table.
    func known(_ paths: Set<String>) -> [String: ImmichAsset] {
        var found: [String: ImmichAsset] = [:]
        for path in paths {
            if let asset = waiting.removeValue(forKey: path) {
                found[path] = asset
                remember(asset)
            } else if let asset = taken[path] {
                found[path] = asset
            }
        }
        return found
    }

    private func remember(_ asset: ImmichAsset) {
        if taken.updateValue(asset, forKey: asset.originalPath) == nil { takenOrder.append(asset.originalPath) }
        while takenOrder.count - takenStart > Self.takenKept {
            taken[takenOrder[takenStart]] = nil
            takenStart += 1
        }
        if takenStart > Self.takenKept {
            takenOrder.removeFirst(takenStart)
            takenStart = 0
        }
    }

    private func refresh(_ index: Int) async throws {
        guard let floor = readers[index].floor else { return }
        let session = lookup.session
        var newest = floor
        var page = 1
        var seen: [String: Date] = [:]
        var serverNow: Date?
        while true {
            var body: JSONObject = [
                "libraryId": .string(session.library.id), "createdAfter": .string(AssetLookup.isoFormatter.string(from: floor)),
                "page": .int(page), "size": .int(AssetLookup.pageSize),
            ]
            for (key, value) in readers[index].fields { body[key] = value }
            let response = try await lookup.client.raw("POST", "/search/metadata", body: .object(body))
            serverNow = serverNow ?? response.serverDate
            let reply = try JSON.parse(Array(response.body))
            let items = reply["assets"]?["items"]?.arrayValue ?? []
            resultsRead += items.count
            for item in items {
                guard let asset = ImmichAsset(item), let created = item["createdAt"]?.stringValue.flatMap(Self.parseDate) else { continue }
                if let owner = asset.ownerId, owner != session.userId { continue }
                if let library = asset.libraryId, library != session.library.id { continue }
                seen[asset.id] = created
                newest = max(newest, created)
                if !readers.contains(where: { $0.recent[asset.id] != nil }), waiting[asset.originalPath] == nil { waiting[asset.originalPath] = asset }
            }
            guard let next = reply["assets"]?["nextPage"], !next.isNull else { break }
            page = Int(next.stringValue ?? "") ?? next.intValue ?? (page + 1)
        }
        // Rows created more than the margin before the server's clock are all committed: the
        // next read starts at the newest one. Rows newer than that may still be joined by rows
        // created a little earlier and committed later: read the margin again.
        let settled = serverNow.map { $0.timeIntervalSince(newest) > Self.margin + 1 } ?? false
        Log.debug("inserted assets, variant \(index): \(seen.count) read since \(AssetLookup.isoFormatter.string(from: floor)), \(waiting.count) waiting")
        let newFloor = settled ? max(floor, newest) : max(floor, newest.addingTimeInterval(-Self.margin))
        readers[index].floor = newFloor
        readers[index].recent = seen.filter { $0.value >= newFloor }
    }

    static func parseDate(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
