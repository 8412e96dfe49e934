import Foundation
import Shared

/// CloudKit's change routes (docs/references.md#cloudkit-change-tokens): `changes/database` (which
/// zones changed since a database token) and `changes/zone` (the changed records since a zone
/// token, `changesPageSize` records a page, `moreComing` until caught up). Zone errors come
/// back per zone with HTTP 200, as Apple's do. `desiredKeys` is honoured, as Apple's is.
extension SandboxICloud {
    func databaseChanges(_ body: JSON, _ config: Config, shared: Bool) -> HTTPServerResponse {
        let library = config.library
        let since: Int?
        if let token = body["syncToken"]?.stringValue {
            guard token.hasPrefix("D"), let v = Int(token.dropFirst()), v >= library.changes.expiredBelow else {
                return Self.json(400, ["serverErrorCode": "BAD_REQUEST", "reason": "Unknown sync continuation type"])
            }
            since = v
        } else {
            since = nil
        }
        var zones: [JSON] = []
        if !shared, since.map({ $0 < library.changes.version }) ?? true {
            zones.append(["zoneID": Self.zoneID(library.zoneName), "syncToken": .string(library.zoneToken)])
        }
        return Self.json(200, ["syncToken": .string("D\(library.changes.version)"), "moreComing": false, "zones": .array(zones)])
    }

    func zoneChanges(_ body: JSON, _ config: Config, shared: Bool) -> HTTPServerResponse {
        var out: [JSON] = []
        for request in body["zones"]?.arrayValue ?? [] {
            let name = request["zoneID"]?["zoneName"]?.stringValue ?? ""
            guard let library = (shared ? config.sharedLibraries : [config.library]).first(where: { $0.zoneName == name }) else {
                out.append(["zoneID": ["zoneName": .string(name)], "serverErrorCode": "ZONE_NOT_FOUND", "reason": "Zone does not exist"])
                continue
            }
            var zone = zoneChanges(library, token: request["syncToken"]?.stringValue, pageSize: config.changesPageSize)
            if case .object(var object) = zone, let records = object["records"]?.arrayValue {
                object["records"] = .array(Self.desired(records, request["desiredKeys"] ?? body["desiredKeys"]))
                zone = .object(object)
            }
            out.append(zone)
        }
        return Self.json(200, ["zones": .array(out)])
    }

    /// One page of one zone's delta. Tokens: `Z<version>` caught up at that version,
    /// `Z<version>:<offset>` part-way through the records changed after it.
    func zoneChanges(_ library: SandboxPhotoLibrary, token: String?, pageSize: Int) -> JSON {
        let zoneID = Self.zoneID(library.zoneName)
        var since = 0, offset = 0
        if let token {
            let parts = token.dropFirst().split(separator: ":").map { Int($0) }
            guard token.hasPrefix("Z"), let v = parts.first ?? nil, v >= library.changes.expiredBelow,
                  parts.count <= 2, parts.allSatisfy({ $0 != nil }) else {
                return ["zoneID": zoneID, "serverErrorCode": "BAD_REQUEST", "reason": "Unknown sync continuation type"]
            }
            since = v
            offset = parts.count == 2 ? parts[1]! : 0
        }
        let entries = token == nil ? (0..<library.count).map { ($0, SandboxLibraryChanges.Halves.both) }
                                   : library.changes.changed(since: since)
        // Library info first (present in almost every delta), then per photo master and asset:
        // with small pages the halves of one photo land on different pages.
        var records: [JSON] = [["recordName": "LibraryInfo", "recordType": "CPLLibraryInfo", "fields": [:], "deleted": false]]
        for (index, halves) in entries {
            let photo = library.photo(index: index)
            if halves == .both { records.append(masterRecord(photo, library)) }
            records.append(assetRecord(photo, library))
        }
        // Then the albums (CPLAlbum, or a tombstone once purged) and the memberships that changed.
        let albums = token == nil ? library.albums.map { ($0.recordName, 0) } : library.changes.albumLog.filter { $0.value > since }.map { ($0.key, $0.value) }
        for (name, _) in albums.sorted(by: { ($0.1, $0.0) < ($1.1, $1.0) }) {
            guard let album = library.album(name) else { continue }
            records.append(albumRecord(album, position: library.albums.firstIndex { $0.recordName == name } ?? 0, library))
        }
        if token != nil {
            for relation in library.changes.relationLog.values.filter({ $0.version > since })
                .sorted(by: { ($0.version, $0.album, $0.index) < ($1.version, $1.album, $1.index) }) {
                records.append(relationRecord(relation, library))
            }
        }
        let end = min(records.count, offset + max(1, pageSize))
        let page = offset < records.count ? Array(records[offset..<end]) : []
        let more = end < records.count
        let next = more ? "Z\(since):\(end)" : library.zoneToken
        return ["zoneID": zoneID, "syncToken": .string(next), "moreComing": .bool(more), "records": .array(page)]
    }
}
