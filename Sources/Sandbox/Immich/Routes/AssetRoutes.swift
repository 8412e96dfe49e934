import Foundation

/// `GET/PUT /assets/{id}` and bulk `PUT /assets`
/// (docs/references.md#immich-assets-favourites-and-live-photos).
enum AssetRoutes {
    static let bulkKeys: Set<String> = [
        "ids", "isFavorite", "isArchived", "visibility", "dateTimeOriginal", "latitude", "longitude", "rating",
        "duplicateId", "description", "dateTimeRelative", "timeZone",
    ]
    static let singleKeys: Set<String> = [
        "isFavorite", "isArchived", "visibility", "dateTimeOriginal", "latitude", "longitude", "rating", "description",
    ]

    static let routes: [ImmichRoute] = [
        ImmichRoute("GET", "/api/assets/{id}") { context in
            try context.withWorld { world in
                guard let asset = world.ownedAsset(context.param("id"), by: context.callerId) else {
                    throw ImmichError.noAccess("asset.read")
                }
                return .json(context.dtos(world).asset(asset, withStack: true))
            }
        },
        ImmichRoute("PUT", "/api/assets") { context in
            let body = try context.body()
            var allowed = bulkKeys
            if !context.version.hasVisibility { allowed.remove("visibility") }
            try body.rejectUnknownKeys(allowed: allowed)
            let ids = try body.uuidArray("ids", required: true) ?? []
            let isFavorite = try body.bool("isFavorite")
            let visibility = try visibilityField(body)
            try context.withWorld { world in
                // All-or-nothing: every id is checked before anything changes.
                for id in ids where world.ownedAsset(id, by: context.callerId) == nil {
                    throw ImmichError.noAccess("asset.update")
                }
                let now = Date()
                for id in ids {
                    if let isFavorite { world.assets[id]!.isFavorite = isFavorite }
                    if let visibility { world.assets[id]!.visibility = visibility }
                    world.assets[id]!.updatedAt = now
                }
            }
            return .empty(status: 204)
        },
        ImmichRoute("PUT", "/api/assets/{id}") { context in
            let body = try context.body()
            var allowed = singleKeys
            if context.version.hasManualLivePhotoLink { allowed.insert("livePhotoVideoId") }
            if !context.version.hasVisibility { allowed.remove("visibility") }
            try body.rejectUnknownKeys(allowed: allowed)
            let isFavorite = try body.bool("isFavorite")
            let visibility = try visibilityField(body)
            let link: String?? = context.version.hasManualLivePhotoLink ? try body.nullableUUID("livePhotoVideoId") : nil
            return try context.withWorld { world in
                let id = context.param("id")
                guard var still = world.ownedAsset(id, by: context.callerId) else { throw ImmichError.noAccess("asset.update") }
                if let link {
                    if let videoId = link {
                        guard let video = world.assets[videoId] else { throw ImmichError.badRequest("Live photo video not found") }
                        guard video.type == .video else { throw ImmichError.badRequest("Live photo video must be a video") }
                        guard video.ownerId == context.callerId else {
                            throw ImmichError.badRequest("Live photo video does not belong to the user")
                        }
                        if video.visibility == .timeline { world.assets[videoId]!.visibility = .hidden }
                        still.livePhotoVideoId = videoId
                    } else if let previous = still.livePhotoVideoId {
                        // Unlinking shows the video again with the still's visibility.
                        world.assets[previous]?.visibility = still.visibility
                        still.livePhotoVideoId = nil
                    }
                }
                if let isFavorite { still.isFavorite = isFavorite }
                if let visibility { still.visibility = visibility }
                still.updatedAt = Date()
                world.assets[id] = still
                return .json(context.dtos(world).asset(still))
            }
        },
    ]

    private static func visibilityField(_ body: RequestBody) throws -> AssetVisibility? {
        if body.version.hasVisibility {
            return try body.oneOf("visibility", AssetVisibility.allCases.map(\.rawValue)).flatMap(AssetVisibility.init(rawValue:))
        }
        // Before v1.133 archiving was a boolean.
        return try body.bool("isArchived").map { $0 ? .archive : .timeline }
    }
}
