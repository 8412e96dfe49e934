import Foundation
import Shared

/// `/stacks*` (v1.113+), with the create-time merge semantics of
/// docs/references.md#immich-stacks.
enum StackRoutes {
    static let since = ImmichVersion.stacksAPI

    static let routes: [ImmichRoute] = [
        ImmichRoute("POST", "/api/stacks", since: since) { context in
            let body = try context.body()
            try body.rejectUnknownKeys(allowed: ["assetIds", "merge"])
            let ids = try body.uuidArray("assetIds", required: true, minCount: 2) ?? []
            return try context.withWorld { world in
                for id in ids where world.ownedAsset(id, by: context.callerId) == nil {
                    throw ImmichError.noAccess("asset.update")
                }
                var members = ids
                var touched = Set<String>()
                // Stacks whose primary is among the ids are merged into the new one and deleted.
                for stackId in world.stackOrder {
                    guard let stack = world.stacks[stackId], stack.ownerId == context.callerId,
                          ids.contains(stack.primaryAssetId) else { continue }
                    for member in world.stackMembers(stackId) where !members.contains(member) { members.append(member) }
                    world.deleteStack(stackId)
                }
                // Non-primary members of other stacks are simply moved.
                for id in members { if let old = world.assets[id]?.stackId { touched.insert(old) } }
                let stack = StackRecord(id: SandboxUUID.make(), ownerId: context.callerId, primaryAssetId: ids[0], createdAt: Date())
                world.stacks[stack.id] = stack
                world.stackOrder.append(stack.id)
                for id in members { world.setStack(of: id, to: stack.id) }
                for old in touched { world.tidyStack(old) }
                return .json(status: 201, context.dtos(world).stack(stack.id))
            }
        },
        ImmichRoute("GET", "/api/stacks", since: since) { context in
            let primary = context.request.query["primaryAssetId"]
            if let primary, !RequestBody.isValidUUID(primary, context.version) {
                throw ImmichError.invalid("primaryAssetId", code: "invalid_format", zod: "Invalid UUID",
                                          classValidator: "primaryAssetId must be a UUID")
            }
            return try context.withWorld { world in
                let stacks = world.stackOrder.compactMap { world.stacks[$0] }
                    .filter { $0.ownerId == context.callerId && (primary == nil || $0.primaryAssetId == primary) }
                return .json(.array(stacks.map { context.dtos(world).stack($0.id) }))
            }
        },
        ImmichRoute("GET", "/api/stacks/{id}", since: since) { context in
            try context.withWorld { world in
                let id = try ownedStack(context.param("id"), world, context, permission: "stack.read")
                return .json(context.dtos(world).stack(id))
            }
        },
        ImmichRoute("PUT", "/api/stacks/{id}", since: since) { context in
            let body = try context.body()
            try body.rejectUnknownKeys(allowed: ["primaryAssetId"])
            let primary = try body.uuid("primaryAssetId")
            return try context.withWorld { world in
                let id = try ownedStack(context.param("id"), world, context, permission: "stack.update")
                if let primary {
                    guard world.assets[primary]?.stackId == id else { throw ImmichError.badRequest("Primary asset must be in the stack") }
                    world.stacks[id]!.primaryAssetId = primary
                }
                return .json(context.dtos(world).stack(id))
            }
        },
        ImmichRoute("DELETE", "/api/stacks/{id}", since: since) { context in
            try context.withWorld { world in
                let id = try ownedStack(context.param("id"), world, context, permission: "stack.delete")
                world.deleteStack(id)
            }
            return .empty(status: 204)
        },
        ImmichRoute("DELETE", "/api/stacks", since: since) { context in
            let body = try context.body()
            try body.rejectUnknownKeys(allowed: ["ids"])
            let ids = try body.uuidArray("ids", required: true) ?? []
            try context.withWorld { world in
                for id in ids { _ = try ownedStack(id, world, context, permission: "stack.delete") }
                for id in ids { world.deleteStack(id) }
            }
            return .empty(status: 204)
        },
        ImmichRoute("DELETE", "/api/stacks/{id}/assets/{assetId}", since: since) { context in
            try context.withWorld { world in
                let id = try ownedStack(context.param("id"), world, context, permission: "stack.update")
                let assetId = context.param("assetId")
                guard world.assets[assetId]?.stackId == id else { throw ImmichError.badRequest("Asset not in stack") }
                guard world.stacks[id]!.primaryAssetId != assetId else {
                    throw ImmichError.badRequest("Cannot remove stack's primary asset")
                }
                world.setStack(of: assetId, to: nil)
                world.tidyStack(id)
            }
            return .empty(status: 204)
        },
    ]

    private static func ownedStack(_ id: String, _ world: ImmichWorld, _ context: RouteContext, permission: String) throws -> String {
        guard let stack = world.stacks[id], stack.ownerId == context.callerId else { throw ImmichError.noAccess(permission) }
        return stack.id
    }
}
