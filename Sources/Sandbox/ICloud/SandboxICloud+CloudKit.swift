import Foundation
import Shared

/// The CloudKit routes icloudpd uses (`{ckdatabasews}/database/1/com.apple.photos.cloud/production/{private|shared}/…`):
/// `zones/list`, `records/query` (indexing state, albums, asset listings paged by `startRank`)
/// and the `HyperionIndexCountLookup` count. Record shapes follow Apple's
/// (docs/references.md#icloudpd-cloudkit-listing).
extension SandboxICloud {
    static let cloudKitPrefix = "/database/1/com.apple.photos.cloud/production/"

    func cloudKit(_ request: HTTPServerRequest, _ config: Config) -> HTTPServerResponse {
        guard signedInUser(request, config) != nil else {
            return Self.json(401, ["errorCode": "AUTHENTICATION_FAILED", "reason": "no auth"])
        }
        let rest = String(request.path.dropFirst(Self.cloudKitPrefix.count))
        let shared = rest.hasPrefix("shared/")
        let call = rest.drop { $0 != "/" }.dropFirst()
        let body = Self.body(request)
        switch call {
        case "zones/list":
            return Self.json(200, ["zones": .array(zoneList(config, shared: shared))])
        case "records/query":
            guard let body else { return Self.json(400, ["errorCode": "BAD_REQUEST"]) }
            return query(body, config, shared: shared)
        case "changes/database":
            return databaseChanges(body ?? [:], config, shared: shared)
        case "changes/zone":
            guard let body else { return Self.json(400, ["errorCode": "BAD_REQUEST"]) }
            return zoneChanges(body, config, shared: shared)
        case "internal/records/query/batch":
            guard let body else { return Self.json(400, ["errorCode": "BAD_REQUEST"]) }
            return countQuery(body, config, shared: shared)
        default:
            return Self.json(404, ["errorCode": "NOT_FOUND"])
        }
    }

    /// The Apple ID whose web-auth cookie the request carries.
    func signedInUser(_ request: HTTPServerRequest, _ config: Config) -> String? {
        guard let cookie = Self.cookies(request)["X-APPLE-WEBAUTH-TOKEN"] else { return nil }
        let web = cookie.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "v=2:t=", with: "")
        return world.withLock { $0.webTokens[web] }
    }

    static func zoneID(_ name: String) -> JSON {
        ["zoneName": .string(name), "ownerRecordName": "_0b5e2c8f1d", "zoneType": "REGULAR_CUSTOM_ZONE"]
    }

    func zoneList(_ config: Config, shared: Bool) -> [JSON] {
        if shared { return config.sharedLibraries.map { ["zoneID": Self.zoneID($0.zoneName), "syncToken": "HwoECJ", "atomic": true] } }
        return [["zoneID": Self.zoneID(config.library.zoneName), "syncToken": "HwoECJ", "atomic": true],
                ["zoneID": Self.zoneID("RetiredSync"), "deleted": true]]
    }

    func library(_ body: JSON, _ config: Config, shared: Bool) -> SandboxPhotoLibrary? {
        let name = body["zoneID"]?["zoneName"]?.stringValue ?? "PrimarySync"
        return (shared ? config.sharedLibraries : [config.library]).first { $0.zoneName == name }
    }

    static func filter(_ body: JSON, _ name: String) -> JSON? {
        body["query"]?["filterBy"]?.arrayValue?.first { $0["fieldName"]?.stringValue == name }?["fieldValue"]?["value"]
    }

    func query(_ body: JSON, _ config: Config, shared: Bool) -> HTTPServerResponse {
        let type = body["query"]?["recordType"]?.stringValue ?? ""
        guard let library = library(body, config, shared: shared) else {
            return Self.json(404, ["errorCode": "ZONE_NOT_FOUND", "reason": "zone not found"])
        }
        switch type {
        case "CheckIndexingState":
            let state: JSON = config.indexingFinished ? "FINISHED" : "RUNNING"
            return Self.json(200, ["records": [["recordName": "_", "recordType": "CheckIndexingState",
                                                "fields": ["state": ["value": state, "type": "STRING"]]]]])
        case "CPLAlbumByPositionLive":
            return Self.json(200, ["records": .array(albumRecords(library, in: Self.filter(body, "parentId")?.stringValue))])
        default:
            let selection: SandboxPhotoLibrary.Selection
            switch type {
            case "CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted": selection = .all
            case "CPLAssetAndMasterInSmartAlbumByAssetDate": selection = .smart(Self.filter(body, "smartAlbum")?.stringValue ?? "")
            case "CPLContainerRelationLiveByAssetDate": selection = .album(Self.filter(body, "parentId")?.stringValue ?? "")
            case "CPLAssetAndMasterDeletedByExpungedDate": selection = .recentlyDeleted
            default: selection = .none  // Hidden, Bursts: empty here
            }
            let start = Self.filter(body, "startRank")?.intValue ?? 0
            let limit = (body["resultsLimit"]?.intValue ?? 200) / 2
            var records: [JSON] = []
            for index in library.members(selection, start: start, limit: limit) {
                let photo = library.photo(index: index)
                records.append(assetRecord(photo, library))
                records.append(masterRecord(photo, library))
                if case .album(let parent) = selection {
                    records.append(["recordName": .string("\(photo.assetName)-IN-\(parent)"), "recordType": "CPLContainerRelation",
                                    "fields": ["itemId": ["value": .string(photo.assetName), "type": "STRING"],
                                               "containerId": ["value": .string(parent), "type": "STRING"]]])
                }
            }
            return Self.json(200, ["records": .array(Self.desired(records, body["desiredKeys"])), "syncToken": .string(library.zoneToken)])
        }
    }

    func countQuery(_ body: JSON, _ config: Config, shared: Bool) -> HTTPServerResponse {
        guard let item = body["batch"]?.arrayValue?.first, let library = library(item, config, shared: shared) else {
            return Self.json(404, ["errorCode": "ZONE_NOT_FOUND"])
        }
        let id = item["query"]?["filterBy"]?["fieldValue"]?["value"]?.arrayValue?.first?.stringValue ?? ""
        let selection: SandboxPhotoLibrary.Selection
        if id == "CPLAssetByAssetDateWithoutHiddenOrDeleted" { selection = .all }
        else if id.hasPrefix("CPLAssetInSmartAlbumByAssetDate:") {
            let map = ["Favorite": "FAVORITE", "Video": "VIDEO", "Live": "LIVE", "Screenshot": "SCREENSHOT"]
            selection = .smart(map[String(id.split(separator: ":").last ?? "")] ?? "")
        } else if id.hasPrefix("CPLContainerRelationNotDeletedByAssetDate:") {
            selection = .album(String(id.dropFirst("CPLContainerRelationNotDeletedByAssetDate:".count)))
        } else { selection = .none }
        let count = library.memberCount(selection)
        return Self.json(200, ["batch": [["records": [["recordName": .string("count-\(id)"), "recordType": "HyperionIndexCountLookup",
                                                        "fields": ["itemCount": ["value": .int(count), "type": "INT64"]]]]]]])
    }

    static let rootFolder = "----Root-Folder----"

    /// `CPLAlbumByPositionLive`: without `parentId` the root folder and what is at the top level
    /// (folders and albums, deleted ones with `isDeleted`); with it, what that folder holds.
    func albumRecords(_ library: SandboxPhotoLibrary, in folder: String?) -> [JSON] {
        let parent = folder == Self.rootFolder ? nil : folder
        var out: [JSON] = []
        if parent == nil {
            out.append(["recordName": .string(Self.rootFolder), "recordType": "CPLAlbum",
                        "fields": ["albumNameEnc": ["value": "", "type": "ENCRYPTED_BYTES"], "albumType": ["value": 3, "type": "INT64"]]])
        }
        let listed = parent == nil && library.flatAlbumListing ? library.albums.filter(\.isListed) : library.albums(in: parent)
        for (position, album) in listed.enumerated() { out.append(albumRecord(album, position: position, library)) }
        if parent == nil {
            var gone = SandboxPhotoLibrary.Album(name: "Gone", recordName: "ALBUM-GONE-0009", modulus: 0, remainder: 0)
            gone.deleted = true
            out.append(albumRecord(gone, position: out.count, library))
        }
        return out
    }

    /// One CPLAlbum record (a purged album is a tombstone).
    func albumRecord(_ album: SandboxPhotoLibrary.Album, position: Int, _ library: SandboxPhotoLibrary) -> JSON {
        if album.purged { return ["recordName": .string(album.recordName), "deleted": true, "recordChangeTag": "9z1a"] }
        var fields = JSONObject()
        fields["albumNameEnc"] = Self.field(.string(Data(album.name.utf8).base64EncodedString()), "ENCRYPTED_BYTES")
        fields["albumType"] = Self.field(.int(album.isFolder ? 3 : 0), "INT64")
        fields["parentId"] = Self.field(.string(album.parent ?? Self.rootFolder), "STRING")
        fields["isDeleted"] = Self.field(.int(album.deleted ? 1 : 0), "INT64")
        fields["position"] = Self.field(.int(1024 * (position + 1)), "INT64")
        return record(album.recordName, "CPLAlbum", fields, library)
    }

    /// One CPLContainerRelation (`<asset>-IN-<album>`), or its tombstone once the photo left.
    func relationRecord(_ relation: SandboxLibraryChanges.Relation, _ library: SandboxPhotoLibrary) -> JSON {
        let name = library.relationName(relation.index, relation.album)
        guard let album = library.album(relation.album), album.contains(relation.index) else {
            return ["recordName": .string(name), "deleted": true, "recordChangeTag": "9z1b"]
        }
        var fields = JSONObject()
        fields["containerId"] = Self.field(.string(album.recordName), "STRING")
        fields["itemId"] = Self.field(.string(library.photo(index: relation.index).assetName), "STRING")
        fields["position"] = Self.field(.int(1024 * (relation.index + 1)), "INT64")
        fields["isKeyAsset"] = Self.field(0, "INT64")
        return record(name, "CPLContainerRelation", fields, library)
    }

    /// Only the fields `desiredKeys` names, as CloudKit answers (all of them without the key).
    static func desired(_ records: [JSON], _ keys: JSON?) -> [JSON] {
        guard let names = keys?.arrayValue?.compactMap(\.stringValue) else { return records }
        let wanted = Set(names)
        return records.map { record in
            guard case .object(var object) = record, let fields = object["fields"]?.objectValue else { return record }
            object["fields"] = .object(JSONObject(fields.filter { wanted.contains($0.key) }.map { ($0.key, $0.value) }))
            return .object(object)
        }
    }

    // MARK: record shapes

    static func field(_ value: JSON, _ type: String) -> JSON { ["value": value, "type": .string(type)] }

    func masterRecord(_ p: SandboxPhotoLibrary.Photo, _ library: SandboxPhotoLibrary) -> JSON {
        var fields = JSONObject()
        fields["itemType"] = Self.field(.string(p.itemType), "STRING")
        if let name = p.filename {
            fields["filenameEnc"] = p.filenameAsString ? Self.field(.string(name), "STRING")
                : Self.field(.string(Data(name.utf8).base64EncodedString()), "ENCRYPTED_BYTES")
        }
        for r in p.resources where !r.inAsset { addResource(r, p, library, to: &fields) }
        fields["originalOrientation"] = Self.field(1, "INT64")
        fields["dataClassType"] = Self.field(.int(p.kind == .video ? 2 : 1), "INT64")
        if library.isDeleted(p.index) { fields["isDeleted"] = Self.field(1, "INT64") }
        return record(p.masterName, "CPLMaster", fields, library)
    }

    func assetRecord(_ p: SandboxPhotoLibrary.Photo, _ library: SandboxPhotoLibrary) -> JSON {
        var fields = JSONObject()
        fields["masterRef"] = Self.field(["recordName": .string(p.masterName), "action": "DELETE_SELF",
                                          "zoneID": Self.zoneID(library.zoneName)], "REFERENCE")
        fields["assetDate"] = Self.field(.number(String(p.assetDate)), "TIMESTAMP")
        fields["addedDate"] = Self.field(.number(String(p.assetDate + 3_600_000)), "TIMESTAMP")
        fields["isFavorite"] = Self.field(.int(p.isFavorite ? 1 : 0), "INT64")
        fields["isHidden"] = Self.field(0, "INT64")
        fields["isDeleted"] = Self.field(.int(library.isDeleted(p.index) ? 1 : 0), "INT64")
        fields["timeZoneOffset"] = Self.field(.int(p.timeZoneOffset), "INT64")
        if p.kind == .screenshotPNG { fields["assetSubtypeV2"] = Self.field(3, "INT64") }
        if p.adjusted { fields["adjustmentType"] = Self.field("com.apple.photo", "STRING") }
        if let data = p.adjustmentSimpleData { fields["adjustmentSimpleDataEnc"] = Self.field(.string(data), "ENCRYPTED_BYTES") }
        for r in p.resources where r.inAsset { addResource(r, p, library, to: &fields) }
        return record(p.assetName, "CPLAsset", fields, library)
    }

    func addResource(_ r: SandboxPhotoLibrary.Resource, _ p: SandboxPhotoLibrary.Photo, _ library: SandboxPhotoLibrary,
                     to fields: inout JSONObject) {
        let url = "\(baseURL)/content/\(library.zoneName)/\(p.index)/\(r.prefix)/${f}?o=AkR\(p.index)&v=1&z=sandbox"
        fields[r.prefix + "Res"] = Self.field(["fileChecksum": .string(library.checksum(index: p.index, prefix: r.prefix)),
                                               "size": .int(r.size), "wrappingKey": "c2FuZGJveC13cmFwcGluZy1rZXk=",
                                               "referenceChecksum": "AWZha2UtcmVmZXJlbmNl",
                                               "downloadURL": .string(url)], "ASSETID")
        fields[r.prefix + "FileType"] = Self.field(.string(r.uti), "STRING")
        fields[r.prefix + "Width"] = Self.field(4032, "INT64")
        fields[r.prefix + "Height"] = Self.field(3024, "INT64")
    }

    func record(_ name: String, _ type: String, _ fields: JSONObject, _ library: SandboxPhotoLibrary) -> JSON {
        let stamp: JSON = ["timestamp": 1_700_000_000_000, "userRecordName": "_0b5e2c8f1d", "deviceID": "2"]
        return ["recordName": .string(name), "recordType": .string(type), "fields": .object(fields), "pluginFields": [:],
                "recordChangeTag": "5j3k", "created": stamp, "modified": stamp, "deleted": false,
                "zoneID": Self.zoneID(library.zoneName)]
    }
}
