import Foundation

/// `DELETE /assets` (to the trash) and `POST /trash/restore/assets`, as Immich's asset and trash
/// services answer them (docs/references.md#immich-trash).
enum TrashRoutes {
    static let routes: [ImmichRoute] = [
        // AssetBulkDeleteDto {ids, force?}: every id is checked (asset.delete) before anything
        // changes; 204. Trashing sets deletedAt again, even on an asset already in the trash.
        ImmichRoute("DELETE", "/api/assets") { context in
            let body = try context.body()
            try body.rejectUnknownKeys(allowed: ["ids", "force"])
            let ids = try body.uuidArray("ids", required: true) ?? []
            if try body.bool("force") == true {
                throw ImmichError.badRequest("the sandbox does not model force deletion (force: true); trash with force: false")
            }
            try context.withWorld { world in
                for id in ids where world.ownedAsset(id, by: context.callerId) == nil {
                    throw ImmichError.noAccess("asset.delete")
                }
                let now = Date()
                for id in ids {
                    world.assets[id]!.deletedAt = now
                    world.assets[id]!.trashedByUser = true
                    world.assets[id]!.updatedAt = now
                }
            }
            return .empty(status: 204)
        },
        // BulkIdsDto {ids} → TrashResponseDto {count}: only assets a user trashed come back
        // (status trashed); offline ones and those not in the trash are left as they are.
        ImmichRoute("POST", "/api/trash/restore/assets") { context in
            let body = try context.body()
            try body.rejectUnknownKeys(allowed: ["ids"])
            let ids = try body.uuidArray("ids", required: true) ?? []
            let count = try context.withWorld { world -> Int in
                for id in ids where world.ownedAsset(id, by: context.callerId) == nil {
                    throw ImmichError.noAccess("asset.delete")
                }
                let now = Date()
                var count = 0
                for id in Set(ids) where world.assets[id]!.trashedByUser && world.assets[id]!.deletedAt != nil {
                    world.assets[id]!.deletedAt = nil
                    world.assets[id]!.trashedByUser = false
                    world.assets[id]!.updatedAt = now
                    count += 1
                }
                return count
            }
            return .json(["count": .int(count)])
        },
    ]
}
