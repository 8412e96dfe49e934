/// Which stack each asset is in, read once per run with `GET /stacks` (the caller's stacks with
/// their members) and kept current with the answers to our own changes, so deciding a photo's
/// stack costs no request.
final class StackIndex {
    private(set) var stacks: [String: StackPlan.Existing] = [:]
    private var stackOfAsset: [String: String] = [:]
    /// Member assets as the stack listing returned them (live links included).
    private(set) var assets: [String: ImmichAsset] = [:]

    func load(_ client: ImmichClient) async throws {
        let reply = try await client.call("GET", "/stacks")
        for stack in reply.arrayValue ?? [] { apply(stack) }
    }

    func stack(of asset: String) -> StackPlan.Existing? { stackOfAsset[asset].flatMap { stacks[$0] } }

    /// Records a `StackResponseDto`: its members leave their old stacks (Immich moves them), and
    /// stacks left with fewer than two members or without their primary are dropped.
    func apply(_ stack: JSON) {
        guard let id = stack["id"]?.stringValue, let primary = stack["primaryAssetId"]?.stringValue else { return }
        let memberAssets = (stack["assets"]?.arrayValue ?? []).compactMap(ImmichAsset.init)
        let members = memberAssets.map(\.id)
        for asset in memberAssets { assets[asset.id] = asset }
        var touched = Set<String>()
        for member in members {
            if let old = stackOfAsset[member], old != id { touched.insert(old) }
            stackOfAsset[member] = id
        }
        stacks[id] = StackPlan.Existing(id: id, primary: primary, members: members.isEmpty ? [primary] : members)
        for old in touched {
            guard let previous = stacks[old] else { continue }
            let left = previous.members.filter { stackOfAsset[$0] == old }
            if left.count < 2 || !left.contains(previous.primary) {
                stacks[old] = nil
                for member in left { stackOfAsset[member] = nil }
            } else {
                stacks[old] = StackPlan.Existing(id: old, primary: previous.primary, members: left)
            }
        }
    }

    /// Drops the member assets a batch is done with (their live links were only needed for it),
    /// so the index stays the size of the stacks, not of their assets' details.
    func forgetAssets(_ ids: some Sequence<String>) {
        for id in ids { assets[id] = nil }
    }

    func noteLink(still: String, video: String) {
        guard let asset = assets[still] else { return }
        assets[still] = asset.withLivePhotoVideoId(video)
    }
}

extension ImmichAsset {
    func withLivePhotoVideoId(_ video: String?) -> ImmichAsset {
        var json: JSONObject = ["id": .string(id), "originalPath": .string(originalPath), "type": .string(type), "isFavorite": .bool(isFavorite)]
        if let ownerId { json["ownerId"] = .string(ownerId) }
        if let libraryId { json["libraryId"] = .string(libraryId) }
        if let video { json["livePhotoVideoId"] = .string(video) }
        if let visibility { json["visibility"] = .string(visibility) }
        return ImmichAsset(.object(json))!
    }

}
