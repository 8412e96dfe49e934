import Foundation

/// Reads the user albums of a library and their members for a full listing: the top-level
/// `CPLAlbumByPositionLive` reply (the one `--list-albums` reads), one more per folder
/// (`parentId` filter: a folder's albums are not at the top level), then each album's members
/// (`CPLContainerRelationLiveByAssetDate` with `parentId`, paged by `startRank` like the main
/// listing until a page without members, asking only for the keys that name the photo).
extension PhotosService {
    /// One `CPLAlbumByPositionLive` reply: the top level, or what a folder holds.
    public func albumListing(_ zone: PhotoLibraryZone, in folder: String? = nil, marker: String? = nil) async throws(ToolError) -> CloudKitQueryResponse {
        var listing: JSONObject = ["recordType": "CPLAlbumByPositionLive"]
        if let folder {
            listing["filterBy"] = [["fieldName": "parentId", "comparator": "EQUALS", "fieldValue": ["type": "STRING", "value": .string(folder)]]]
        }
        var body: JSONObject = ["query": .object(listing), "zoneID": zone.zoneID]
        if let marker { body["continuationMarker"] = .string(marker) }
        return try await query(.private, .object(body))
    }

    /// Every album and folder, walking folders from the top level (`topLevel`: its first reply,
    /// already read for the album names).
    public func albumCatalog(_ zone: PhotoLibraryZone, topLevel: CloudKitQueryResponse) async throws(ToolError) -> AlbumCatalog {
        var catalog = AlbumCatalog()
        var pending: [(folder: String?, reply: CloudKitQueryResponse)] = [(nil, topLevel)]
        var visited: Set<String> = []
        while !pending.isEmpty {
            let (folder, reply) = pending.removeFirst()
            for record in reply.records {
                guard case .entry(var entry) = AlbumCatalog.read(record) else { continue }
                if folder != nil, entry.parent == nil { entry.parent = folder }  // a reply for a folder names what it holds
                guard visited.insert(record.recordName).inserted else {
                    // Listed at the top level too, without its parentId: the folder's reply places it.
                    if let folder, catalog.entries[record.recordName]?.parent == nil { entry.parent = folder; catalog.set(record.recordName, entry) }
                    continue
                }
                catalog.set(record.recordName, entry)
                if entry.isFolder { pending.append((record.recordName, try await albumListing(zone, in: record.recordName))) }
            }
            if let marker = reply.continuationMarker, !reply.records.isEmpty {
                pending.append((folder, try await albumListing(zone, in: folder, marker: marker)))
            }
        }
        return catalog
    }

    /// The CPLAsset record names of an album's members.
    public func albumMembers(_ album: String, zone: PhotoLibraryZone) async throws(ToolError) -> Set<String> {
        var members: Set<String> = []
        var offset = 0
        while true {
            let page = try await page(.user(name: album, recordName: album), zone: zone, offset: offset, desiredKeys: Self.memberKeys)
            var found = 0
            for record in page.records {
                if record.isAsset { members.insert(record.recordName); found += 1 }
                else if record.recordType == "CPLContainerRelation", let item = record.value("itemId")?.stringValue { members.insert(item) }
            }
            if found == 0 { return members }
            offset += found
        }
    }

    /// Enough to know which photo a member is.
    static let memberKeys = ["recordName", "recordType", "masterRef", "itemId", "containerId"]

    /// The whole library's memberships (a shared library has no user albums).
    public func albumMemberships(_ zone: PhotoLibraryZone, topLevel: CloudKitQueryResponse?) async throws(ToolError) -> AlbumMemberships {
        guard !zone.isShared, let topLevel else { return AlbumMemberships() }
        let catalog = try await albumCatalog(zone, topLevel: topLevel)
        var members: [String: Set<String>] = [:]
        for (id, entry) in catalog.entries.sorted(by: { $0.key < $1.key }) where !entry.isFolder && catalog.path(id) != nil {
            for item in try await albumMembers(id, zone: zone) { members[item, default: []].insert(id) }
        }
        Log.debug("\(catalog.entries.count) albums and folders, \(members.count) photos in albums")
        return AlbumMemberships(catalog: catalog, members: members)
    }
}
