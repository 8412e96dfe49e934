import Foundation
import Shared

/// `/albums*` (docs/references.md#immich-albums): no name uniqueness, per-id results for adds and removals,
/// owner or shared-user access.
enum AlbumRoutes {
    static let routes: [ImmichRoute] = [
        ImmichRoute("GET", "/api/albums") { context in
            let shared = context.request.query["shared"].map { $0 == "true" }
            let assetId = context.request.query["assetId"]
            if let assetId, !RequestBody.isValidUUID(assetId, context.version) {
                throw ImmichError.invalid("assetId", code: "invalid_format", zod: "Invalid UUID", classValidator: "assetId must be a UUID")
            }
            return try context.withWorld { world in
                let me = context.callerId
                let albums = world.albumOrder.compactMap { world.albums[$0] }.filter { album in
                    let isOwner = album.ownerId == me
                    let isMember = album.sharedWith.contains(me)
                    if let assetId { return (isOwner || isMember) && album.assetIds.contains(assetId) }
                    switch shared {
                    case .some(true): return (isOwner && !album.sharedWith.isEmpty) || isMember
                    case .some(false): return isOwner && album.sharedWith.isEmpty
                    case .none: return isOwner
                    }
                }
                return .json(.array(albums.map { context.dtos(world).album($0, withAssets: false) }))
            }
        },
        ImmichRoute("GET", "/api/albums/{id}") { context in
            let withoutAssets = context.request.query["withoutAssets"] == "true"
            return try context.withWorld { world in
                let album = try readableAlbum(context.param("id"), world, context, permission: "album.read")
                return .json(context.dtos(world).album(album, withAssets: !withoutAssets))
            }
        },
        ImmichRoute("POST", "/api/albums") { context in
            let body = try context.body()
            try body.rejectUnknownKeys(allowed: ["albumName", "description", "albumUsers", "assetIds", "sharedWithUserIds"])
            let name = try body.string("albumName", required: true) ?? ""
            let assetIds = try body.uuidArray("assetIds") ?? []
            var userIds = try body.uuidArray("sharedWithUserIds") ?? []
            if let users = body.fields["albumUsers"], !users.isNull {
                guard let items = users.arrayValue else {
                    throw ImmichError.invalid("albumUsers", zod: "Invalid input: expected array", classValidator: "albumUsers must be an array")
                }
                for item in items {
                    let entry = RequestBody(fields: item.objectValue ?? [:], version: context.version)
                    guard let userId = try entry.uuid("userId") else {
                        throw ImmichError.invalid("userId", zod: "Invalid UUID", classValidator: "userId must be a UUID")
                    }
                    userIds.append(userId)
                }
            }
            return try context.withWorld { world in
                for userId in userIds where world.users[userId] == nil { throw ImmichError.badRequest("User not found") }
                let now = Date()
                var accepted: [String] = []
                // Silently keep only the caller's own assets (no per-id errors here).
                for id in assetIds where world.ownedAsset(id, by: context.callerId) != nil && !accepted.contains(id) {
                    accepted.append(id)
                }
                let album = AlbumRecord(id: SandboxUUID.make(), name: name, ownerId: context.callerId,
                                        sharedWith: userIds.filter { $0 != context.callerId }, assetIds: accepted,
                                        createdAt: now, updatedAt: now)
                world.albums[album.id] = album
                world.albumOrder.append(album.id)
                return .json(status: 201, context.dtos(world).album(album, withAssets: true))
            }
        },
        ImmichRoute("PUT", "/api/albums/{id}/assets") { context in
            try editMembers(context, permission: context.version.albumAddAssetScope) { members, id, world in
                if members.contains(id) { return "duplicate" }
                if world.ownedAsset(id, by: context.callerId) == nil { return "no_permission" }
                members.append(id)
                return nil
            }
        },
        // Immich's `removeAssets`: an id not in the album (or repeated) is `not_found`; the
        // album's owner may take out any member, someone it is shared with only their own.
        ImmichRoute("DELETE", "/api/albums/{id}/assets") { context in
            try editMembers(context, permission: context.version.albumRemoveAssetScope) { members, id, world in
                guard let index = members.firstIndex(of: id) else { return "not_found" }
                let ownsAlbum = world.albums[context.param("id")]?.ownerId == context.callerId
                if !ownsAlbum && world.ownedAsset(id, by: context.callerId) == nil { return "no_permission" }
                members.remove(at: index)
                return nil
            }
        },
    ]

    /// `PUT` and `DELETE /albums/{id}/assets`: `edit` applies each id of the body to the album's
    /// members, or returns why it refuses it; the answer has one result per id, and the album's
    /// `updatedAt` moves only when its members changed.
    private static func editMembers(_ context: RouteContext, permission: String,
                                    _ edit: (inout [String], String, ImmichWorld) -> String?) throws -> HTTPServerResponse {
        let body = try context.body()
        try body.rejectUnknownKeys(allowed: ["ids"])
        let ids = try body.uuidArray("ids", required: true) ?? []
        return try context.withWorld { world in
            let album = try writableAlbum(context.param("id"), world, context, permission: permission)
            var members = album.assetIds
            var results: [SandboxJSON] = []
            for id in ids {
                if let error = edit(&members, id, world) {
                    results.append(["id": .string(id), "success": false, "error": .string(error)])
                } else {
                    results.append(["id": .string(id), "success": true])
                }
            }
            if members != album.assetIds {
                world.albums[album.id]!.assetIds = members
                world.albums[album.id]!.updatedAt = Date()
            }
            return .json(.array(results))
        }
    }

    private static func readableAlbum(_ id: String, _ world: ImmichWorld, _ context: RouteContext, permission: String) throws -> AlbumRecord {
        guard let album = world.albums[id], album.ownerId == context.callerId || album.sharedWith.contains(context.callerId) else {
            throw ImmichError.noAccess(permission)
        }
        return album
    }

    /// "Album not found" for an unknown id; the access message for someone else's album.
    private static func writableAlbum(_ id: String, _ world: ImmichWorld, _ context: RouteContext, permission: String) throws -> AlbumRecord {
        guard let album = world.albums[id] else { throw ImmichError.badRequest("Album not found") }
        guard album.ownerId == context.callerId || album.sharedWith.contains(context.callerId) else {
            throw ImmichError.noAccess(permission)
        }
        return album
    }
}
