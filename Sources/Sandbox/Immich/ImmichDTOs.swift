import Foundation
import Shared

/// Renders records as Immich's JSON response DTOs, shaped by version (docs/references.md).
struct ImmichDTOs {
    let world: ImmichWorld
    let version: ImmichVersion

    func user(_ user: UserRecord) -> SandboxJSON {
        ["id": .string(user.id), "email": .string(user.email), "name": .string(user.name),
         "profileImagePath": "", "avatarColor": "primary", "profileChangedAt": .string(SandboxTime.string(user.createdAt))]
    }

    func userAdmin(_ user: UserRecord) -> SandboxJSON {
        guard case .object(var fields) = self.user(user) else { return .null }
        fields["isAdmin"] = .bool(user.isAdmin)
        fields["status"] = "active"
        fields["storageLabel"] = user.isAdmin ? "admin" : .null
        fields["quotaSizeInBytes"] = .null
        fields["quotaUsageInBytes"] = 0
        fields["createdAt"] = .string(SandboxTime.string(user.createdAt))
        fields["updatedAt"] = .string(SandboxTime.string(user.createdAt))
        fields["deletedAt"] = .null
        fields["oauthId"] = ""
        fields["shouldChangePassword"] = false
        fields["license"] = .null
        return .object(fields)
    }

    func library(_ library: LibraryRecord) -> SandboxJSON {
        ["id": .string(library.id), "ownerId": .string(library.ownerId), "name": .string(library.name),
         "importPaths": .array(library.importPaths.map { .string($0) }),
         "exclusionPatterns": .array(library.exclusionPatterns.map { .string($0) }),
         // Immich rarely loads the relation behind assetCount, so it is usually 0.
         "assetCount": 0,
         "createdAt": .string(SandboxTime.string(library.createdAt)),
         "updatedAt": .string(SandboxTime.string(library.updatedAt)),
         "refreshedAt": .optional(library.refreshedAt.map(SandboxTime.string))]
    }

    /// `AssetResponseDto`; `withStack` fills `stack` as `GET /assets/{id}` does.
    func asset(_ asset: AssetRecord, withStack: Bool = false) -> SandboxJSON {
        var fields: [String: SandboxJSON] = [
            "id": .string(asset.id),
            "ownerId": .string(asset.ownerId),
            "libraryId": .optional(asset.libraryId),
            "type": .string(asset.type.rawValue),
            "originalPath": .string(asset.originalPath),
            "originalFileName": .string(asset.originalFileName),
            "originalMimeType": .string(MediaTypes.mimeType(forPath: asset.originalPath)),
            "checksum": .string(asset.checksum.base64EncodedString()),
            "thumbhash": .null,
            "fileCreatedAt": .string(SandboxTime.string(asset.fileCreatedAt)),
            "fileModifiedAt": .string(SandboxTime.string(asset.fileModifiedAt)),
            "localDateTime": .string(SandboxTime.string(asset.fileCreatedAt)),
            "createdAt": .string(SandboxTime.string(asset.createdAt)),
            "updatedAt": .string(SandboxTime.string(asset.updatedAt)),
            "isFavorite": .bool(asset.isFavorite),
            "isArchived": .bool(asset.visibility == .archive),
            "isTrashed": .bool(asset.isTrashed),
            "isOffline": .bool(asset.isOffline),
            "livePhotoVideoId": .optional(asset.livePhotoVideoId),
            "duplicateId": .null,
            "hasMetadata": false,
            "isEdited": false,
            "people": [],
            "tags": [],
            "width": .null,
            "height": .null,
        ]
        if version.hasVisibility { fields["visibility"] = .string(asset.visibility.rawValue) }
        if version.isZod {
            fields["duration"] = asset.type == .video ? 0 : .null
        } else {
            fields["duration"] = "0:00:00.00000"
            fields["deviceAssetId"] = .string(asset.originalFileName.filter { !$0.isWhitespace })
            fields["deviceId"] = "Library Import"
        }
        if withStack {
            if let stackId = asset.stackId, let stack = world.stacks[stackId] {
                fields["stack"] = ["id": .string(stack.id), "primaryAssetId": .string(stack.primaryAssetId),
                                   "assetCount": .int(world.stackMembers(stackId).count)]
            } else {
                fields["stack"] = .null
            }
        }
        return .object(fields)
    }

    func stack(_ stackId: String) -> SandboxJSON {
        guard let stack = world.stacks[stackId] else { return .null }
        return ["id": .string(stack.id), "primaryAssetId": .string(stack.primaryAssetId),
                "assets": .array(world.stackMembers(stackId).compactMap { world.assets[$0].map { asset($0) } })]
    }

    /// `AlbumResponseDto`; `withAssets` only matters up to v2 (v3 never returns `assets`).
    func album(_ album: AlbumRecord, withAssets: Bool) -> SandboxJSON {
        let owner = world.users[album.ownerId]
        let members = album.assetIds.compactMap { world.assets[$0] }.filter { !$0.isTrashed }
        let dates = members.map(\.fileCreatedAt).sorted()
        var fields: [String: SandboxJSON] = [
            "id": .string(album.id),
            "albumName": .string(album.name),
            "description": "",
            "ownerId": .string(album.ownerId),
            "owner": owner.map { user($0) } ?? .null,
            "albumUsers": .array(album.sharedWith.compactMap { world.users[$0] }.map { ["user": user($0), "role": "editor"] }),
            "shared": .bool(!album.sharedWith.isEmpty),
            "hasSharedLink": false,
            "assetCount": .int(members.count),
            "albumThumbnailAssetId": .optional(album.assetIds.first),
            "createdAt": .string(SandboxTime.string(album.createdAt)),
            "updatedAt": .string(SandboxTime.string(album.updatedAt)),
            "startDate": .optional(dates.first.map(SandboxTime.string)),
            "endDate": .optional(dates.last.map(SandboxTime.string)),
            "lastModifiedAssetTimestamp": .optional(members.map(\.updatedAt).max().map(SandboxTime.string)),
            "isActivityEnabled": true,
            "order": "desc",
        ]
        if !version.isZod {
            fields["assets"] = withAssets ? .array(members.map { asset($0) }) : []
        }
        return .object(fields)
    }
}
