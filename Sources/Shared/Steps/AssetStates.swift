import Foundation

/// Reads the current state (favourite, live link, type) of a batch's assets by id, at a cost
/// that follows the batch, not the library: v3.2+ asks for 200 ids per search as `or` branches
/// of `id.eq` (the id filter knows only `eq`/`ne`); older servers read `GET /assets/{id}`,
/// `concurrency` at a time (no flat search field selects many ids).
struct AssetStates {
    let client: ImmichClient
    let concurrency: Int
    static let idsPerSearch = 200

    /// `trashedOnly`: only the assets in Immich's trash (`isOffline` then says a scan, not a
    /// user, trashed it). v3.2+ adds `trashedAt` not null to the search, so an answer means "in
    /// the trash" whether or not it carries `isTrashed`; `GET /assets/{id}` answers for trashed
    /// assets too.
    func read(_ ids: some Collection<String>, trashedOnly: Bool = false) async throws -> [String: ImmichAsset] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: ImmichAsset] = [:]
        let sorted = ids.sorted()
        if client.capabilities.search == .structured {
            for start in stride(from: 0, to: sorted.count, by: Self.idsPerSearch) {
                let chunk = Array(sorted[start..<min(start + Self.idsPerSearch, sorted.count)])
                var cursor: String?
                repeat {
                    let branches = chunk.map { id -> JSON in ["id": ["eq": .string(id)]] }
                    var filter: JSONObject = ["or": .array(branches)]
                    if trashedOnly { filter["trashedAt"] = ["ne": .null] }
                    var body: JSONObject = ["filter": .object(filter), "size": .int(Self.idsPerSearch)]
                    if let cursor { body["cursor"] = .string(cursor) }
                    let reply = try await client.call("POST", "/search/metadata", body: .object(body))
                    for item in reply["assets"]?["items"]?.arrayValue ?? [] {
                        guard var asset = ImmichAsset(item), chunk.contains(asset.id) else { continue }
                        if trashedOnly { asset.isTrashed = true }
                        found[asset.id] = asset
                    }
                    cursor = reply["assets"]?["nextCursor"]?.stringValue
                } while cursor != nil
            }
            return found
        }
        let client = self.client
        let replies = await concurrentMap(sorted, limit: concurrency) { id -> Result<ImmichAsset?, Error> in
            do {
                return .success(ImmichAsset(try await client.call("GET", "/assets/\(id)")))
            } catch let error as ImmichAPIError where error.isNotFoundOrNoAccess {
                return .success(nil)  // gone or foreign: the mutation will say so on the record
            } catch {
                return .failure(error)
            }
        }
        for reply in replies {
            if let asset = try reply.get(), asset.isTrashed || !trashedOnly { found[asset.id] = asset }
        }
        return found
    }
}

/// Which assets are favourites. v3.2+ reads a batch's states by id each time (`AssetStates`);
/// older servers list the favourites once per run (one search per visibility, favourites are
/// few) and keep the list current with the changes the step makes itself.
final class FavoriteStates {
    let states: AssetStates
    private var known: Set<String>?

    init(states: AssetStates) { self.states = states }

    var client: ImmichClient { states.client }

    func favorites(among ids: some Collection<String>) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        if client.capabilities.search == .structured {
            return Set(try await states.read(ids).values.filter(\.isFavorite).map(\.id))
        }
        if known == nil { known = try await listFavorites() }
        return Set(ids.filter { known!.contains($0) })
    }

    func note(_ ids: [String], favorite: Bool) {
        guard known != nil else { return }
        if favorite { known!.formUnion(ids) } else { known!.subtract(ids) }
    }

    private func listFavorites() async throws -> Set<String> {
        let variants: [JSONObject]
        switch client.capabilities.visibility {
        case .allButLocked: variants = [[:]]
        case .timelineOnly: variants = [[:], ["visibility": "archive"], ["visibility": "hidden"]]
        case .legacyFlags: variants = [["withArchived": true], ["withArchived": true, "isVisible": false]]
        }
        var ids = Set<String>()
        for fields in variants {
            var page = 1
            while true {
                var body: JSONObject = ["isFavorite": true, "page": .int(page), "size": .int(AssetLookup.pageSize)]
                for (key, value) in fields { body[key] = value }
                let reply = try await client.call("POST", "/search/metadata", body: .object(body))
                for item in reply["assets"]?["items"]?.arrayValue ?? [] { if let id = item["id"]?.stringValue { ids.insert(id) } }
                guard let next = reply["assets"]?["nextPage"], !next.isNull else { break }
                page = Int(next.stringValue ?? "") ?? next.intValue ?? (page + 1)
            }
        }
        return ids
    }
}
