import Foundation

/// Which of a batch's assets are in Immich's trash, at a cost that follows the batch: v3.2+ asks
/// for 200 ids per search (`or` branches of `id.eq`) with `trashedAt` not null, so an answer
/// means "in the trash" whether or not it carries `isTrashed`; older servers read
/// `GET /assets/{id}` (which answers for trashed assets too), `concurrency` at a time.
struct TrashStates {
    let client: ImmichClient
    let concurrency: Int
    static let idsPerSearch = 200

    /// The trashed assets among `ids`, by id (`isOffline` says a scan, not a user, trashed it).
    func trashed(among ids: some Collection<String>) async throws -> [String: ImmichAsset] {
        guard !ids.isEmpty else { return [:] }
        guard client.capabilities.search == .structured else {
            return try await AssetStates(client: client, concurrency: concurrency).read(ids).filter(\.value.isTrashed)
        }
        var found: [String: ImmichAsset] = [:]
        let sorted = ids.sorted()
        for start in stride(from: 0, to: sorted.count, by: Self.idsPerSearch) {
            let chunk = Array(sorted[start..<min(start + Self.idsPerSearch, sorted.count)])
            var cursor: String?
            repeat {
                let branches = chunk.map { id -> JSON in ["id": ["eq": .string(id)]] }
                var body: JSONObject = ["filter": ["or": .array(branches), "trashedAt": ["ne": .null]], "size": .int(Self.idsPerSearch)]
                if let cursor { body["cursor"] = .string(cursor) }
                let reply = try await client.call("POST", "/search/metadata", body: .object(body))
                for item in reply["assets"]?["items"]?.arrayValue ?? [] {
                    guard var asset = ImmichAsset(item), chunk.contains(asset.id) else { continue }
                    asset.isTrashed = true
                    found[asset.id] = asset
                }
                cursor = reply["assets"]?["nextCursor"]?.stringValue
            } while cursor != nil
        }
        return found
    }
}
