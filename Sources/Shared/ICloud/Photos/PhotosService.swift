import Foundation

/// The CloudKit calls of icloudpd's photos service (docs/references.md#icloudpd-cloudkit-listing):
/// indexing state, zones, albums, counts and listing pages, through the signed-in session (cookies,
/// headers).
public struct PhotosService: Sendable {
    public enum Database: String, Sendable { case `private`, shared }

    public let session: ICloudSession
    /// `webservices.ckdatabasews.url`.
    public let root: String
    public let dsid: String

    public init(session: ICloudSession, account: AccountData) throws(ToolError) {
        guard let root = account.webserviceURL("ckdatabasews"), let dsid = account.dsid else {
            throw .runtime("Webservice not available: iCloud Photos is not activated for this account")
        }
        self.session = session
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
        self.dsid = dsid
    }

    func databaseURL(_ database: Database) -> String { "\(root)/database/1/com.apple.photos.cloud/production/\(database.rawValue)" }

    func queryString() async -> String {
        let clientID = await session.clientID
        return "clientBuildNumber=\(AuthEndpoints.clientBuildNumber)&clientMasteringNumber=\(AuthEndpoints.clientMasteringNumber)"
            + "&clientId=\(clientID)&dsid=\(dsid)&remapEnums=True&getCurrentSyncToken=True"
    }

    /// POST a JSON body (as `text/plain`, like icloudpd) and parse the JSON answer.
    func post(_ database: Database, _ call: String, _ body: JSON, withQuery: Bool = true) async throws(ToolError) -> Data {
        var url = databaseURL(database) + "/" + call
        if withQuery { url += "?" + (await queryString()) }
        let response: HTTPResponse
        do {
            response = try await session.send("POST", url, headers: [(name: "Content-Type", value: "text/plain")],
                                              body: Data(body.serializedBytes))
        } catch {
            throw .runtime("iCloud Photos: \(error)")
        }
        if response.status == 503 || response.status == 429 {
            throw .runtime("Apple iCloud is temporary refusing to serve icloudpd")
        }
        if response.status == 401 || response.status == 421 || response.status == 450 {
            throw ToolError(.authentication, "iCloud rejected the session (HTTP \(response.status)): sign in again")
        }
        guard response.isSuccess else { throw .runtime("iCloud Photos: \(call) answered HTTP \(response.status)") }
        return response.body
    }

    func query(_ database: Database, _ body: JSON) async throws(ToolError) -> CloudKitQueryResponse {
        let data = try await post(database, "records/query", body)
        do { return try CloudKitQueryResponse.decode(data) } catch { throw .runtime("iCloud Photos: unreadable query answer: \(error)") }
    }

    /// `CheckIndexingState` must say `FINISHED`.
    public func checkIndexingState(_ zone: PhotoLibraryZone) async throws(ToolError) {
        let reply = try await query(zone.isShared ? .shared : .private,
                                    ["query": ["recordType": "CheckIndexingState"], "zoneID": zone.zoneID])
        let state = reply.records.first?.value("state")?.stringValue
        guard state == "FINISHED" else { throw .runtime("Apple iCloud Photo Library has not finished indexing yet") }
    }

    /// Zones of a database that are not deleted (`zones/list`, no query string).
    public func zones(_ database: Database) async throws(ToolError) -> [PhotoLibraryZone] {
        let data = try await post(database, "zones/list", [:], withQuery: false)
        guard let json = try? JSON.parse(Array(data)), let zones = json["zones"]?.arrayValue else { return [] }
        return zones.compactMap { zone in
            guard zone["deleted"].map(Self.truthy) != true, let id = zone["zoneID"], let name = id["zoneName"]?.stringValue else { return nil }
            return PhotoLibraryZone(name: name, zoneID: id, isShared: database == .shared)
        }
    }

    static func truthy(_ v: JSON) -> Bool {
        switch v {
        case .null: false
        case .bool(let b): b
        case .number(let n): Double(n) != 0
        case .string(let s): !s.isEmpty
        case .array(let a): !a.isEmpty
        case .object(let o): !o.isEmpty
        }
    }

    /// Smart folders, then user albums (`CPLAlbumByPositionLive`; shared zones have none).
    /// A user album with a smart folder's name replaces it.
    public func albums(_ zone: PhotoLibraryZone) async throws(ToolError) -> [PhotoAlbum] {
        Self.albums(topLevel: zone.isShared ? nil : try await albumListing(zone))
    }

    /// icloudpd's album list from the top-level `CPLAlbumByPositionLive` reply (folders are
    /// listed like albums, what they hold is not: as icloudpd 1.32 does).
    public static func albums(topLevel: CloudKitQueryResponse?) -> [PhotoAlbum] {
        var albums = PhotoAlbum.smartFolders
        for record in topLevel?.records ?? [] {
            if AlbumCatalog.roots.contains(record.recordName) { continue }
            if record.value("isDeleted")?.isTruthy == true { continue }
            guard let encoded = record.value("albumNameEnc")?.stringValue,
                  let name = PhotoAsset.decodeBase64UTF8(encoded) else { continue }
            let album = PhotoAlbum.user(name: name, recordName: record.recordName)
            if let i = albums.firstIndex(where: { $0.name == name }) { albums[i] = album } else { albums.append(album) }
        }
        return albums
    }

    /// `HyperionIndexCountLookup`: how many photos the listing has.
    public func count(_ album: PhotoAlbum, zone: PhotoLibraryZone) async throws(ToolError) -> Int {
        let body: JSON = ["batch": [["resultsLimit": 1,
                                     "query": ["filterBy": ["fieldName": "indexCountID",
                                                            "fieldValue": ["type": "STRING_LIST", "value": [.string(album.countType)]],
                                                            "comparator": "IN"],
                                               "recordType": "HyperionIndexCountLookup"],
                                     "zoneWide": true, "zoneID": zone.zoneID]]]
        let data = try await post(zone.isShared ? .shared : .private, "internal/records/query/batch", body)
        let json = try? JSON.parse(Array(data))
        return json?["batch"]?.arrayValue?.first?["records"]?.arrayValue?.first?["fields"]?["itemCount"]?["value"]?.intValue ?? 0
    }

    /// One listing page: 100 photos (200 records) from `offset`, newest first.
    public func page(_ album: PhotoAlbum, zone: PhotoLibraryZone, offset: Int, pageSize: Int = 100,
                     desiredKeys: [String] = PhotosService.desiredKeys) async throws(ToolError) -> CloudKitQueryResponse {
        var filters: [JSON] = [
            ["fieldName": "startRank", "fieldValue": ["type": "INT64", "value": .int(offset)], "comparator": "EQUALS"],
            ["fieldName": "direction", "fieldValue": ["type": "STRING", "value": "ASCENDING"], "comparator": "EQUALS"],
        ]
        if let f = album.filter {
            filters.append(["fieldName": .string(f.field), "comparator": "EQUALS", "fieldValue": ["type": "STRING", "value": .string(f.value)]])
        }
        let body: JSON = ["query": ["filterBy": .array(filters), "recordType": .string(album.listType)],
                          "resultsLimit": .int(pageSize * 2), "desiredKeys": .array(desiredKeys.map { .string($0) }),
                          "zoneID": zone.zoneID]
        return try await query(zone.isShared ? .shared : .private, body)
    }

    public static let desiredKeys: [String] = {
        var keys: [String] = []
        for p in ["resJPEGFull", "resJPEGLarge", "resJPEGMed", "resJPEGThumb", "resVidFull", "resVidMed", "resVidSmall", "resSidecar"] {
            keys += ["Width", "Height", "FileType", "Fingerprint", "Res"].map { p + $0 }
        }
        keys += ["itemType", "dataClassType", "filenameEnc", "originalOrientation"]
        for p in ["resOriginal", "resOriginalAlt", "resOriginalVidCompl"] {
            keys += ["Width", "Height", "FileType", "Fingerprint", "Res"].map { p + $0 }
        }
        keys += ["isDeleted", "isExpunged", "dateExpunged", "remappedRef", "recordName", "recordType", "recordChangeTag",
                 "masterRef", "adjustmentRenderType", "assetDate", "addedDate", "isFavorite", "isHidden", "orientation",
                 "duration", "assetSubtype", "assetSubtypeV2", "assetHDRType", "burstFlags", "burstFlagsExt", "burstId",
                 "captionEnc", "locationEnc", "locationV2Enc", "locationLatitude", "locationLongitude", "adjustmentType",
                 "timeZoneOffset", "vidComplDurValue", "vidComplDurScale", "vidComplDispValue", "vidComplDispScale",
                 "keywordsEnc", "extendedDescEnc", "adjustedMediaMetaDataEnc", "adjustmentSimpleDataEnc",
                 "vidComplVisibilityState", "customRenderedValue", "containerId", "itemId", "position", "isKeyAsset"]
        return keys
    }()
}
