import Foundation

/// Reads the current state (favourite, live link, type) of many assets with as few requests as
/// the server allows: v3.2+ asks for 200 ids per search, as `or` branches of `id.eq` (the id
/// filter knows only `eq`/`ne`, not `in`); older servers
/// are searched once per folder of the files (the path filter is a substring there, results
/// are kept by id) and only what that misses is read one `GET /assets/{id}` at a time.
struct AssetStates {
    let client: ImmichClient
    let mapping: PathMapping
    static let pageSize = 1000
    static let idsPerSearch = 200
    /// Below this many unresolved ids a folder bigger than a page is read asset by asset.
    static let perAssetThreshold = 25

    /// `wanted`: asset id → local path of its file (nil when unknown).
    func read(_ wanted: [String: String?]) async throws -> [String: ImmichAsset] {
        guard !wanted.isEmpty else { return [:] }
        var found: [String: ImmichAsset] = [:]
        switch client.capabilities.search {
        case .structured:
            let ids = wanted.keys.sorted()
            for start in stride(from: 0, to: ids.count, by: Self.idsPerSearch) {
                let chunk = Array(ids[start..<min(start + Self.idsPerSearch, ids.count)])
                var cursor: String?
                repeat {
                    let branches = chunk.map { id -> JSON in ["id": ["eq": .string(id)]] }
                    var body: JSONObject = ["filter": ["or": .array(branches)], "size": .int(Self.idsPerSearch)]
                    if let cursor { body["cursor"] = .string(cursor) }
                    let reply = try await client.call("POST", "/search/metadata", body: .object(body))
                    collect(reply, wanted: wanted, into: &found)
                    cursor = reply["assets"]?["nextCursor"]?.stringValue
                } while cursor != nil
            }
        case .flatSubstring:
            var folders: [String: Set<String>] = [:]
            for (id, path) in wanted {
                guard let path else { continue }
                folders[(mapping.serverPath(for: path) as NSString).deletingLastPathComponent, default: []].insert(id)
            }
            for (folder, ids) in folders.sorted(by: { $0.key < $1.key }) {
                try await searchFolder(folder, ids: ids, wanted: wanted, into: &found)
            }
        case .flatExact:
            break
        }
        for id in wanted.keys.sorted() where found[id] == nil {
            do {
                if let asset = ImmichAsset(try await client.call("GET", "/assets/\(id)")) { found[id] = asset }
            } catch let error as ImmichAPIError where error.isNotFoundOrNoAccess {
                continue  // gone or foreign: the mutation will say so on the record
            }
        }
        return found
    }

    /// Which of `wanted` (asset id → local path) are favourites now. v3.2+ reads them by id; older
    /// servers get one search for the favourites under the files' deepest common folder (favourites
    /// are few, so this stays small where a per-folder read would cost one request per day folder).
    func favorites(among wanted: [String: String?]) async throws -> Set<String> {
        guard !wanted.isEmpty else { return [] }
        let paths = wanted.values.compactMap { $0.map(mapping.serverPath(for:)) }
        guard client.capabilities.search == .flatSubstring, paths.count == wanted.count else {
            return Set(try await read(wanted).values.filter(\.isFavorite).map(\.id))
        }
        let prefix = Self.commonFolder(paths)
        var found = Set<String>()
        var page = 1
        while true {
            let body: JSONObject = ["isFavorite": true, "originalPath": .string(prefix == "/" ? "/" : prefix + "/"), "page": .int(page), "size": .int(Self.pageSize)]
            let reply = try await client.call("POST", "/search/metadata", body: .object(body))
            for item in reply["assets"]?["items"]?.arrayValue ?? [] {
                if let id = item["id"]?.stringValue, wanted[id] != nil { found.insert(id) }
            }
            guard let next = reply["assets"]?["nextPage"], !next.isNull else { return found }
            page = Int(next.stringValue ?? "") ?? next.intValue ?? (page + 1)
        }
    }

    static func commonFolder(_ paths: [String]) -> String {
        var common = (paths.first.map { ($0 as NSString).deletingLastPathComponent } ?? "/").split(separator: "/").map(String.init)
        for path in paths.dropFirst() {
            let parts = (path as NSString).deletingLastPathComponent.split(separator: "/").map(String.init)
            var shared = 0
            while shared < min(common.count, parts.count), common[shared] == parts[shared] { shared += 1 }
            common.removeLast(common.count - shared)
        }
        return "/" + common.joined(separator: "/")
    }

    private func searchFolder(_ folder: String, ids: Set<String>, wanted: [String: String?], into found: inout [String: ImmichAsset]) async throws {
        // v1.133–v2.x return only timeline assets unless asked; archived stills are read by id later.
        var page = 1
        while true {
            let body: JSONObject = ["originalPath": .string(folder == "/" ? "/" : folder + "/"), "page": .int(page), "size": .int(Self.pageSize)]
            let reply = try await client.call("POST", "/search/metadata", body: .object(body))
            collect(reply, wanted: wanted, into: &found)
            guard let next = reply["assets"]?["nextPage"], !next.isNull else { return }
            let remaining = ids.filter { found[$0] == nil }.count
            if remaining == 0 || remaining <= Self.perAssetThreshold { return }
            page = Int(next.stringValue ?? "") ?? next.intValue ?? (page + 1)
        }
    }

    private func collect(_ reply: JSON, wanted: [String: String?], into found: inout [String: ImmichAsset]) {
        for item in reply["assets"]?["items"]?.arrayValue ?? [] {
            guard let asset = ImmichAsset(item), wanted[asset.id] != nil else { continue }
            found[asset.id] = asset
        }
    }
}
