import Foundation

/// Finds assets by their exact server path with as few requests as the server allows
/// (`ImmichCapabilities.search`): v3.2+ asks for up to 1,000 exact paths per request
/// (`filter.originalPath.in`, live assets only); v1.127–v3.1 (the path filter is a
/// case-insensitive substring there) asks once per file, or once per folder for a folder with
/// more than 100 of the paths, and keeps exact matches only; older servers match exactly, one
/// path per request. Files new in a run are found through `InsertedAssets`.
public struct AssetLookup: Sendable {
    public let session: ImmichSession
    /// Per-file searches in flight at once.
    public let concurrency: Int
    public static let pageSize = 1000
    /// Below this many unresolved paths, a folder too big for one page is searched file by file.
    static let perFileThreshold = 25
    /// Up to this many paths of one folder are searched file by file from the start (each answer
    /// holds about one asset), so a batch never reads a big folder.
    static let perFileLimit = 100

    public init(session: ImmichSession, concurrency: Int = ImmichConcurrency.default) {
        self.session = session
        self.concurrency = concurrency
    }

    var client: ImmichClient { session.client }

    public static let videoExtensions: Set<String> = ["mov", "mp4", "m4v", "avi", "mkv", "3gp", "webm", "mts", "m2ts", "mpg", "mpeg", "wmv", "flv"]

    public static func isVideo(_ path: String) -> Bool {
        videoExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// Returns the assets found, keyed by server path. `createdAfter` narrows a poll to assets
    /// inserted since a scan began; `includeArchived` also looks at archived assets (v1.133–v2.x
    /// hide them from a plain search); `includeTrashed` also finds assets in Immich's trash
    /// (`isTrashed` set; a live asset at the same path wins), and implies `includeArchived`.
    public func find(_ paths: Set<String>, createdAfter: Date? = nil, includeArchived: Bool = false, includeTrashed: Bool = false) async throws -> [String: ImmichAsset] {
        guard !paths.isEmpty else { return [:] }
        Log.debug("looking up \(paths.count) path(s) by path\(includeTrashed ? ", trash included" : ""), e.g. \(paths.first!)")
        let includeArchived = includeArchived || includeTrashed
        switch client.capabilities.search {
        case .structured:
            var found = try await findExact(paths, createdAfter: createdAfter, trashed: false)
            if includeTrashed {
                found.merge(try await findExact(paths.subtracting(found.keys), createdAfter: createdAfter, trashed: true)) { live, _ in live }
            }
            return found
        case .flatSubstring: break
        case .flatExact:
            var found: [String: ImmichAsset] = [:]
            for path in paths.sorted() {
                try await search(pathFilter: path, wanted: paths, visibilities: visibilities(hasVideo: Self.isVideo(path), includeArchived: includeArchived, includeTrashed: includeTrashed), createdAfter: createdAfter, into: &found)
            }
            return found
        }
        var found: [String: ImmichAsset] = [:]
        let folders = Dictionary(grouping: paths) { ($0 as NSString).deletingLastPathComponent }
        var perFile: [String] = []
        for (folder, folderPaths) in folders.sorted(by: { $0.key < $1.key }) {
            if folderPaths.count <= Self.perFileLimit {
                perFile += folderPaths
                continue
            }
            let wanted = Set(folderPaths)
            let visibilities = visibilities(hasVideo: folderPaths.contains(where: Self.isVideo), includeArchived: includeArchived, includeTrashed: includeTrashed)
            let complete = try await search(pathFilter: folder == "/" ? "/" : folder + "/", wanted: wanted, visibilities: visibilities,
                                            createdAfter: createdAfter, into: &found, stopEarlyBelow: Self.perFileThreshold)
            if !complete {
                for path in wanted.subtracting(found.keys).sorted() {
                    try await search(pathFilter: path, wanted: wanted, visibilities: visibilities, createdAfter: createdAfter, into: &found)
                }
            }
        }
        let lookup = self
        let answers = await concurrentMap(perFile.sorted(), limit: concurrency) { path -> Result<[String: ImmichAsset], Error> in
            do {
                var one: [String: ImmichAsset] = [:]
                try await lookup.search(pathFilter: path, wanted: [path],
                                        visibilities: lookup.visibilities(hasVideo: Self.isVideo(path), includeArchived: includeArchived, includeTrashed: includeTrashed),
                                        createdAfter: createdAfter, into: &one)
                return .success(one)
            } catch {
                return .failure(error)
            }
        }
        for answer in answers { found.merge(try answer.get()) { $1 } }
        return found
    }

    /// The searches needed to see every asset on this server version, as extra body fields:
    /// a plain search misses live videos Immich has linked (hidden) and archived assets before v3,
    /// and trashed assets unless `withDeleted`.
    func visibilities(hasVideo: Bool, includeArchived: Bool, includeTrashed: Bool = false) -> [JSONObject] {
        let list = visibilities(hasVideo: hasVideo, includeArchived: includeArchived)
        guard includeTrashed else { return list }
        return list.map { var fields = $0; fields["withDeleted"] = true; return fields }
    }

    private func visibilities(hasVideo: Bool, includeArchived: Bool) -> [JSONObject] {
        switch client.capabilities.visibility {
        case .allButLocked: return [[:]]
        case .legacyFlags:
            // withArchived covers archived assets; linked live videos have isVisible false.
            return hasVideo ? [["withArchived": true], ["withArchived": true, "isVisible": false]] : [["withArchived": true]]
        case .timelineOnly: break
        }
        var list: [JSONObject] = [[:]]
        if hasVideo { list.append(["visibility": "hidden"]) }
        if includeArchived { list.append(["visibility": "archive"]) }
        return list
    }

    /// Pages through one flat search. Returns false when it stopped early because the folder is
    /// larger than a page and few paths remain (the caller then asks file by file).
    @discardableResult
    func search(pathFilter: String, wanted: Set<String>, visibilities: [JSONObject], createdAfter: Date?, into found: inout [String: ImmichAsset], stopEarlyBelow threshold: Int? = nil) async throws -> Bool {
        for extraFields in visibilities {
            var page = 1
            while true {
                var body: JSONObject = [
                    "libraryId": .string(session.library.id), "originalPath": .string(pathFilter),
                    "page": .int(page), "size": .int(Self.pageSize),
                ] as JSONObject
                for (key, value) in extraFields { body[key] = value }
                if let createdAfter { body["createdAfter"] = .string(Self.isoFormatter.string(from: createdAfter)) }
                let reply = try await client.call("POST", "/search/metadata", body: .object(body))
                collect(reply["assets"]?["items"]?.arrayValue ?? [], wanted: wanted, into: &found)
                guard let next = reply["assets"]?["nextPage"], !next.isNull else { break }
                if wanted.isSubset(of: found.keys) { break }
                if let threshold, wanted.subtracting(found.keys).count <= threshold { return false }
                page = Int(next.stringValue ?? "") ?? next.intValue ?? (page + 1)
            }
        }
        return true
    }

    /// v3.2+: exact paths, 1,000 a request. A `filter` search also matches trashed assets, so it
    /// asks for `trashedAt: null`: a trashed asset at the same path is not the live one. With
    /// `trashed`, it asks for trashed ones only (`trashedAt` not null), so what it returns is known
    /// to be in the trash whether or not the answer carries `isTrashed`.
    func findExact(_ paths: Set<String>, createdAfter: Date?, trashed: Bool = false) async throws -> [String: ImmichAsset] {
        var found: [String: ImmichAsset] = [:]
        guard !paths.isEmpty else { return found }
        let sorted = paths.sorted()
        for start in stride(from: 0, to: sorted.count, by: Self.pageSize) {
            let chunk = Array(sorted[start..<min(start + Self.pageSize, sorted.count)])
            var filter: JSONObject = [
                "libraryId": ["eq": .string(session.library.id)],
                "originalPath": ["in": .array(chunk.map(JSON.string))],
                "trashedAt": trashed ? ["ne": .null] : ["eq": .null],
            ] as JSONObject
            if let createdAfter { filter["createdAt"] = ["gt": .string(Self.isoFormatter.string(from: createdAfter))] }
            var cursor: String?
            repeat {
                var body: JSONObject = ["filter": .object(filter), "size": .int(Self.pageSize)] as JSONObject
                if let cursor { body["cursor"] = .string(cursor) }
                let reply = try await client.call("POST", "/search/metadata", body: .object(body))
                collect(reply["assets"]?["items"]?.arrayValue ?? [], wanted: Set(chunk), into: &found, trashed: trashed)
                cursor = reply["assets"]?["nextCursor"]?.stringValue
            } while cursor != nil
        }
        return found
    }

    /// Keeps exact path matches owned by us in our library (search also returns partners' assets);
    /// of a live and a trashed asset at one path, the live one.
    func collect(_ items: [JSON], wanted: Set<String>, into found: inout [String: ImmichAsset], trashed: Bool = false) {
        for item in items {
            guard var asset = ImmichAsset(item), wanted.contains(asset.originalPath) else { continue }
            if let owner = asset.ownerId, owner != session.userId { continue }
            if let library = asset.libraryId, library != session.library.id { continue }
            if trashed { asset.isTrashed = true }
            if asset.isTrashed, let other = found[asset.originalPath], !other.isTrashed { continue }
            found[asset.originalPath] = asset
        }
    }

    enum isoFormatter {
        static func string(from date: Date) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.string(from: date)
        }
    }
}
