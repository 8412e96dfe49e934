import Foundation
import Shared

/// `/_sandbox/*`: unauthenticated, never faulted, never counted; for scripts and benchmarks.
extension SandboxImmich {
    func handleControl(_ request: HTTPServerRequest) -> HTTPServerResponse {
        switch (request.method, request.path) {
        case ("GET", "/_sandbox/state"):
            return .json(data: stateJSON())
        case ("GET", "/_sandbox/counts"):
            var counts = requestCounts().mapValues { SandboxJSON.int($0) }
            counts["searchResults"] = .int(searchResultCount())
            counts["searchRowsRead"] = .int(searchRowsReadCount())
            return .json(.object(counts))
        case ("POST", "/_sandbox/reset-counts"):
            resetCounts()
            return .json(["ok": true])
        case ("GET", "/_sandbox/summary"):
            return .text(summaryText())
        case ("GET", "/_sandbox/idle"):
            return .json(["idle": .bool(scans.isIdle)])
        case ("POST", "/_sandbox/config"):
            guard let json = SandboxJSON.parse(request.body), let fields = json.objectValue else {
                return .json(status: 400, ["message": "body must be a JSON object"])
            }
            do {
                try applyControlConfig(fields)
            } catch let error as ControlError {
                return .json(status: 400, ["message": .string(error.message)])
            } catch {
                return .json(status: 400, ["message": "invalid config"])
            }
            return .json(configJSON(currentConfig))
        default:
            return .json(status: 404, ["message": .string("Cannot \(request.method) \(request.path)")])
        }
    }

    /// What the library holds, in a few lines a person reads (the demo prints it).
    func summaryText() -> String {
        world.withLock { world in
            let assets = world.assets.values.filter { !$0.isTrashed }
            var lines = ["\(assets.count) assets (\(assets.filter { $0.type == .video }.count) videos), "
                + "\(assets.filter(\.isFavorite).count) favourites, \(world.stacks.count) stacks, "
                + "\(assets.filter { $0.livePhotoVideoId != nil }.count) stills linked to live videos"]
            for album in world.albums.values.sorted(by: { $0.name < $1.name }) {
                lines.append("album '\(album.name)': \(album.assetIds.count) assets")
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    private struct ControlError: Error { let message: String }

    private func applyControlConfig(_ fields: [String: SandboxJSON]) throws {
        let known: Set<String> = ["version", "latencyMs", "scanDurationMs", "failRate", "dropRate", "autoLinkLivePhotos", "seed"]
        if let unknown = fields.keys.first(where: { !known.contains($0) }) { throw ControlError(message: "unknown key \(unknown)") }
        var next = currentConfig
        if let value = fields["version"] {
            guard let text = value.stringValue, ImmichVersion(parsing: text) != nil else { throw ControlError(message: "version must be \"major.minor.patch\"") }
            next.version = text.hasPrefix("v") ? String(text.dropFirst()) : text
        }
        for key in ["latencyMs", "scanDurationMs"] {
            guard let value = fields[key] else { continue }
            guard let number = value.intValue, number >= 0 else { throw ControlError(message: "\(key) must be a whole number ≥ 0") }
            if key == "latencyMs" { next.latencyMs = number } else { next.scanDurationMs = number }
        }
        for key in ["failRate", "dropRate"] {
            guard let value = fields[key] else { continue }
            guard let rate = value.doubleValue, (0...1).contains(rate) else { throw ControlError(message: "\(key) must be between 0 and 1") }
            if key == "failRate" { next.failRate = rate } else { next.dropRate = rate }
        }
        if let value = fields["autoLinkLivePhotos"] {
            guard let flag = value.boolValue else { throw ControlError(message: "autoLinkLivePhotos must be a boolean") }
            next.autoLinkLivePhotos = flag
        }
        if let value = fields["seed"] {
            guard let seed = value.intValue, seed >= 0 else { throw ControlError(message: "seed must be a whole number ≥ 0") }
            next.seed = UInt64(seed)
        }
        setConfig { $0 = next }
    }

    func configJSON(_ config: Config) -> SandboxJSON {
        ["version": .string(config.version), "apiKey": .string(config.apiKey),
         "importPaths": .array(config.importPaths.map { .string($0) }), "latencyMs": .int(config.latencyMs),
         "scanDurationMs": .int(config.scanDurationMs), "failRate": .number(config.failRate),
         "dropRate": .number(config.dropRate), "seed": .number(Double(config.seed)),
         "autoLinkLivePhotos": .bool(config.autoLinkLivePhotos)]
    }

    /// The whole state, for tests and scripts to assert on.
    public func stateJSON() -> Data {
        let config = currentConfig
        return world.withLock { world -> SandboxJSON in
            let time = SandboxTime.string
            let users: [SandboxJSON] = world.userOrder.compactMap { world.users[$0] }.map {
                ["id": .string($0.id), "name": .string($0.name), "email": .string($0.email), "isAdmin": .bool($0.isAdmin),
                 "apiKey": .string($0.apiKey)]
            }
            let libraries: [SandboxJSON] = world.libraryOrder.compactMap { world.libraries[$0] }.map {
                ["id": .string($0.id), "ownerId": .string($0.ownerId), "name": .string($0.name),
                 "importPaths": .array($0.importPaths.map { .string($0) }), "refreshedAt": .optional($0.refreshedAt.map(time))]
            }
            let assets: [SandboxJSON] = world.assetOrder.compactMap { world.assets[$0] }.map {
                ["id": .string($0.id), "originalPath": .string($0.originalPath), "originalFileName": .string($0.originalFileName),
                 "type": .string($0.type.rawValue), "visibility": .string($0.visibility.rawValue), "isFavorite": .bool($0.isFavorite),
                 "livePhotoVideoId": .optional($0.livePhotoVideoId), "stackId": .optional($0.stackId), "ownerId": .string($0.ownerId),
                 "libraryId": .optional($0.libraryId), "createdAt": .string(time($0.createdAt)), "isTrashed": .bool($0.isTrashed),
                 "deletedAt": .optional($0.deletedAt.map(time)), "trashedByUser": .bool($0.trashedByUser),
                 "isOffline": .bool($0.isOffline), "checksum": .string($0.checksum.base64EncodedString())]
            }
            let stacks: [SandboxJSON] = world.stackOrder.compactMap { world.stacks[$0] }.map {
                ["id": .string($0.id), "primaryAssetId": .string($0.primaryAssetId), "ownerId": .string($0.ownerId),
                 "assetIds": .array(world.stackMembers($0.id).map { .string($0) })]
            }
            let albums: [SandboxJSON] = world.albumOrder.compactMap { world.albums[$0] }.map {
                ["id": .string($0.id), "albumName": .string($0.name), "ownerId": .string($0.ownerId),
                 "sharedWith": .array($0.sharedWith.map { .string($0) }), "assetIds": .array($0.assetIds.map { .string($0) }),
                 "createdAt": .string(time($0.createdAt))]
            }
            let scans: [SandboxJSON] = world.scans.map {
                ["libraryId": .string($0.libraryId), "requestedAt": .string(time($0.requestedAt)),
                 "startedAt": .optional($0.startedAt.map(time)), "finishedAt": .optional($0.finishedAt.map(time)),
                 "inserted": .int($0.inserted), "restored": .int($0.restored), "offlined": .int($0.offlined)]
            }
            return ["users": .array(users), "libraries": .array(libraries), "assets": .array(assets), "stacks": .array(stacks),
                    "albums": .array(albums), "scans": ["count": .int(scans.count), "items": .array(scans)],
                    "config": configJSON(config)]
        }.encoded()
    }
}
