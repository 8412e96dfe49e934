import Foundation

/// The whole fake database. Always used under `SandboxImmich`'s lock, so it is a plain struct.
struct ImmichWorld {
    var users: [String: UserRecord] = [:]
    var userOrder: [String] = []
    var libraries: [String: LibraryRecord] = [:]
    var libraryOrder: [String] = []
    var assets: [String: AssetRecord] = [:]
    var assetOrder: [String] = []
    /// "libraryId\u{0}originalPath" → asset id, the uniqueness Immich keeps per library.
    var assetByLibraryPath: [String: String] = [:]
    var stacks: [String: StackRecord] = [:]
    var stackOrder: [String] = []
    var albums: [String: AlbumRecord] = [:]
    var albumOrder: [String] = []
    var scans: [ScanRecord] = []
    var nextSequence = 0

    static func pathKey(_ libraryId: String, _ path: String) -> String { libraryId + "\u{0}" + path }

    func user(apiKey: String) -> UserRecord? {
        userOrder.lazy.compactMap { users[$0] }.first { $0.apiKey == apiKey }
    }

    // MARK: assets

    mutating func insertAsset(_ asset: AssetRecord) {
        assets[asset.id] = asset
        assetOrder.append(asset.id)
        if let libraryId = asset.libraryId {
            assetByLibraryPath[Self.pathKey(libraryId, asset.originalPath)] = asset.id
        }
    }

    mutating func takeSequence() -> Int {
        nextSequence += 1
        return nextSequence
    }

    /// An asset the user owns (the access rule for every asset mutation).
    func ownedAsset(_ id: String, by userId: String) -> AssetRecord? {
        guard let asset = assets[id], asset.ownerId == userId else { return nil }
        return asset
    }

    // MARK: stacks

    /// Stack members, primary first, then in insertion order.
    func stackMembers(_ stackId: String) -> [String] {
        guard let stack = stacks[stackId] else { return [] }
        let others = assetOrder.filter { assets[$0]?.stackId == stackId && $0 != stack.primaryAssetId }
        return assets[stack.primaryAssetId]?.stackId == stackId ? [stack.primaryAssetId] + others : others
    }

    mutating func deleteStack(_ stackId: String) {
        for id in stackMembers(stackId) { assets[id]?.stackId = nil }
        stacks[stackId] = nil
        stackOrder.removeAll { $0 == stackId }
    }

    /// A stack with fewer than two members is dissolved; one that lost its primary promotes its first member.
    mutating func tidyStack(_ stackId: String) {
        guard let stack = stacks[stackId] else { return }
        let members = stackMembers(stackId)
        if members.count < 2 { deleteStack(stackId); return }
        if assets[stack.primaryAssetId]?.stackId != stackId {
            stacks[stackId]?.primaryAssetId = members[0]
        }
    }

    // MARK: albums

    mutating func removeFromAllAlbums(_ assetId: String) {
        for id in albumOrder where albums[id]!.assetIds.contains(assetId) {
            albums[id]!.assetIds.removeAll { $0 == assetId }
            albums[id]!.updatedAt = Date()
        }
    }
}
