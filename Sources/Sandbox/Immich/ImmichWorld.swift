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
    /// Indexes a real Immich keeps in its database (`originalPath`, `createdAt`), so a search
    /// narrowed by them reads the few rows it can match, not every asset: the path → ids (every
    /// library and owner, insertion order), and every id ordered by (createdAt, sequence).
    /// Neither field ever changes after insertion, and assets are never deleted.
    var assetIdsByPath: [String: [String]] = [:]
    var assetIdsByCreation: [String] = []
    /// Immich's trigram index on `f_unaccent("originalPath")`, by row = position in `assetOrder`:
    /// what a substring path search (v1.127–v3.1) or a `like` filter reads.
    var pathTrigrams = TrigramIndex()
    /// `liveKey` → ids in insertion order: the candidates for live-photo linking of a new asset.
    var assetIdsByLiveKey: [String: [String]] = [:]

    /// Stand-in for ContentIdentifier matching: same folder, same basename (case-insensitive).
    static func liveKey(_ path: String) -> String {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let name = String(path.split(separator: "/").last ?? "")
        let base = name.lastIndex(of: ".").map { String(name[..<$0]) } ?? name
        return folder + "/" + base.lowercased()
    }
    /// Stack id → its members' ids (kept by `setStack`), so a stack's members are read without
    /// a pass over every asset.
    var assetIdsByStack: [String: Set<String>] = [:]
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
        pathTrigrams.insert(asset.originalPath, row: assetOrder.count - 1)
        if let libraryId = asset.libraryId {
            assetByLibraryPath[Self.pathKey(libraryId, asset.originalPath)] = asset.id
        }
        assetIdsByPath[asset.originalPath, default: []].append(asset.id)
        assetIdsByLiveKey[Self.liveKey(asset.originalPath), default: []].append(asset.id)
        // Scans insert in creation order: almost always an append.
        if let last = assetIdsByCreation.last.flatMap({ assets[$0] }), Self.creationKey(last) > Self.creationKey(asset) {
            assetIdsByCreation.insert(asset.id, at: firstCreation { Self.creationKey($0) > Self.creationKey(asset) })
        } else {
            assetIdsByCreation.append(asset.id)
        }
    }

    private static func creationKey(_ asset: AssetRecord) -> (Date, Int) { (asset.createdAt, asset.sequence) }

    /// The first position in `assetIdsByCreation` whose asset satisfies `isAfter` (monotonic).
    private func firstCreation(where isAfter: (AssetRecord) -> Bool) -> Int {
        var low = 0, high = assetIdsByCreation.count
        while low < high {
            let middle = (low + high) / 2
            if isAfter(assets[assetIdsByCreation[middle]]!) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The assets a search can match, from the narrowest index its conditions allow: ids (the
    /// primary key), else exact paths; else the fewer of a lower bound on `createdAt` and the trigram index for a path
    /// pattern (one with no trigram to look up reads every row, as in Postgres); else every
    /// asset. A superset of the matches (the search still applies all of its conditions), in
    /// no particular order.
    func searchCandidates(ids: Set<String>? = nil, paths: Set<String>?, createdFrom: Date?, pathPattern: LikePattern? = nil) -> [AssetRecord] {
        if let ids { return ids.compactMap { assets[$0] } }
        if let paths {
            return paths.flatMap { assetIdsByPath[$0] ?? [] }.compactMap { assets[$0] }
        }
        var ids: ArraySlice<String>?
        if let createdFrom {
            ids = assetIdsByCreation[firstCreation { $0.createdAt >= createdFrom }...]
        }
        if let pathPattern, let rows = pathTrigrams.candidates(pathPattern), rows.count < ids?.count ?? .max {
            ids = ArraySlice(rows.map { assetOrder[$0] })
        }
        guard let ids else { return Array(assets.values) }
        return ids.compactMap { assets[$0] }
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
        let others = (assetIdsByStack[stackId] ?? []).filter { $0 != stack.primaryAssetId }
            .sorted { assets[$0]!.sequence < assets[$1]!.sequence }
        return assets[stack.primaryAssetId]?.stackId == stackId ? [stack.primaryAssetId] + others : others
    }

    /// Moves an asset into a stack (or out of any): the only way `stackId` changes, so the
    /// members' index stays exact.
    mutating func setStack(of assetId: String, to stackId: String?) {
        guard let asset = assets[assetId], asset.stackId != stackId else { return }
        if let old = asset.stackId {
            assetIdsByStack[old]?.remove(assetId)
            if assetIdsByStack[old]?.isEmpty == true { assetIdsByStack[old] = nil }
        }
        assets[assetId]!.stackId = stackId
        if let stackId { assetIdsByStack[stackId, default: []].insert(assetId) }
    }

    mutating func deleteStack(_ stackId: String) {
        for id in stackMembers(stackId) { setStack(of: id, to: nil) }
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
