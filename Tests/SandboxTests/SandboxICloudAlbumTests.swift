import Foundation
import Sandbox
import Shared
import Synchronization
import Testing

/// The fake iCloud's user albums over HTTP, read by the real CloudKit client: folders and
/// albums by `parentId`, members paged, album and membership records in the change feed, and
/// the `/_sandbox/library` control.
@Suite struct SandboxICloudAlbumTests {
    /// A signed-in CloudKit client for the demo account.
    static func service(_ icloud: SandboxICloud, dir: String) async throws -> PhotosService {
        let answers = Mutex(["123456"])
        let prompts = SignInPrompts(password: { "demo-password" }, answer: { _ in answers.withLock { $0.isEmpty ? nil : $0.removeFirst() } })
        let endpoints = AuthEndpoints(domain: .com, environment: icloud.endpointEnvironment)
        let session = try ICloudSession(store: SessionStore(directory: dir, username: "demo@sandbox.local"), endpoints: endpoints,
                                        client: HTTPClient(retryPolicy: .none, followRedirects: false), environment: [:])
        let account = try await ICloudSignIn(session: session, username: "demo@sandbox.local", prompts: prompts).signIn()
        return try PhotosService(session: session, account: account)
    }

    static func started(_ configure: (inout SandboxPhotoLibrary) -> Void) throws -> SandboxICloud {
        var config = SandboxICloud.Config()
        config.library = SandboxPhotoLibrary(count: 250, albums: [])
        configure(&config.library)
        let icloud = SandboxICloud(config: config)
        try icloud.start()
        return icloud
    }

    @Test func foldersAndAlbumsAreListedByParentAndMembersArePaged() async throws {
        var ids: [String] = []
        let icloud = try Self.started { library in
            let family = library.createFolder("Family")
            let year = library.createFolder("2024", in: family)
            ids = [family, year, library.createAlbum("Kids", in: year, members: [1, 2]),
                   library.createAlbum("Big", members: Array(0..<150)), library.createAlbum("Trips", members: [3])]
        }
        defer { icloud.stop() }
        let dir = NSTemporaryDirectory() + "sandbox-albums-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let service = try await Self.service(icloud, dir: dir)
        let zone = PhotoLibraryZone.primary

        // The top level: the root folder, Family, Big, Trips and the deleted "Gone"; the folder's own reply holds 2024.
        let top = try await service.albumListing(zone)
        #expect(top.records.map(\.recordName) == ["----Root-Folder----", ids[0], ids[3], ids[4], "ALBUM-GONE-0009"])
        #expect(try await service.albumListing(zone, in: ids[0]).records.map(\.recordName) == [ids[1]])
        let catalog = try await service.albumCatalog(zone, topLevel: top)
        #expect(catalog.path(ids[2]) == "Family/2024/Kids")
        #expect(catalog.path(ids[0]) == nil, "a folder is no album")
        #expect(Set(catalog.entries.keys) == Set(ids))
        // A top level that lists nested albums too gives the same catalog.
        icloud.setConfig { $0.library.flatAlbumListing = true }
        let flat = try await service.albumListing(zone)
        #expect(flat.records.count == top.records.count + 2)
        #expect(try await service.albumCatalog(zone, topLevel: flat) == catalog)
        icloud.setConfig { $0.library.flatAlbumListing = false }
        // icloudpd's --list-albums view is unchanged: the top level only, folders listed like albums.
        #expect(PhotosService.albums(topLevel: top).suffix(3).map(\.name) == ["Family", "Big", "Trips"])

        // Members: CPLAsset record names, 150 over two pages (and the empty one).
        icloud.resetCounts()
        let big = try await service.albumMembers(ids[3], zone: zone)
        #expect(big == Set((0..<150).map { icloud.currentLibrary.photo(index: $0).assetName }))
        #expect(icloud.requestCounts()["POST /database/1/com.apple.photos.cloud/production/private/records/query"] == 3)
        let all = try await service.albumMemberships(zone, topLevel: top)
        #expect(all.names(of: PhotoAsset(master: CloudKitRecord(recordName: "m", recordType: "CPLMaster"),
                                         asset: CloudKitRecord(recordName: icloud.currentLibrary.photo(index: 1).assetName,
                                                               recordType: "CPLAsset"))) == ["Big", "Family/2024/Kids"])
    }

    @Test func theChangeFeedCarriesAlbumsRelationsAndTheirTombstones() async throws {
        var trips = "", gone = ""
        let icloud = try Self.started { library in
            trips = library.createAlbum("Trips", members: [1, 2])
            gone = library.createAlbum("Old", members: [4])
        }
        defer { icloud.stop() }
        let dir = NSTemporaryDirectory() + "sandbox-albums-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let service = try await Self.service(icloud, dir: dir)
        let token = icloud.currentLibrary.zoneToken
        icloud.setConfig { config in
            config.library.addToAlbum(3, trips)
            config.library.removeFromAlbum(1, trips)
            config.library.renameAlbum(trips, to: "Trips 2024")
            config.library.deleteAlbum(gone, purge: true)
        }
        let page = try await service.zoneChanges(.primary, token: token)
        #expect(!page.moreComing)
        var batch = ChangeBatch()
        batch.add(page.records)
        let library = icloud.currentLibrary
        let album = try #require(batch.albums[trips])
        #expect(AlbumCatalog.read(album) == .entry(.init(name: "Trips 2024", parent: nil, isFolder: false)))
        let joined = try #require(batch.relations[library.relationName(3, trips)])
        #expect(joined.value("itemId")?.stringValue == library.photo(index: 3).assetName)
        #expect(joined.value("containerId")?.stringValue == trips)
        #expect(Set(batch.tombstones) == [library.relationName(1, trips), gone])
        #expect(batch.assets.isEmpty && batch.masters.isEmpty, "photo records untouched")
    }

    @Test func theLibraryControlChangesAlbumsOverHTTP() async throws {
        let icloud = try Self.started { _ in }
        defer { icloud.stop() }
        let client = HTTPClient(retryPolicy: .none)
        func call(_ method: String, _ body: JSON? = nil) async throws -> (Int, JSON) {
            let response = try await client.send(Shared.HTTPRequest(method: method, url: URL(string: icloud.baseURL + "/_sandbox/library")!,
                                                                     headers: [:], body: body.map { Data($0.serializedBytes) }))
            return (response.status, (try? JSON.parse(Array(response.body))) ?? .null)
        }
        let (status, folder) = try await call("POST", ["action": "createFolder", "name": "Family"])
        #expect(status == 200)
        let folderID = try #require(folder["id"]?.stringValue)
        let album = try #require(try await call("POST", ["action": "createAlbum", "name": "Kids", "folder": .string(folderID),
                                                         "members": [1, 2]]).1["id"]?.stringValue)
        #expect(try await call("POST", ["action": "addToAlbum", "album": .string(album), "index": 5]).0 == 200)
        #expect(try await call("POST", ["action": "removeFromAlbum", "album": .string(album), "index": 1]).0 == 200)
        #expect(try await call("POST", ["action": "favorite", "index": 5, "favorite": false]).0 == 200)
        #expect(try await call("POST", ["action": "addToAlbum", "album": "nope", "index": 5]).0 == 400)
        let listed = try await call("GET").1["albums"]?.arrayValue ?? []
        #expect(listed.count == 2)
        #expect(listed.last?["members"] == [2, 5])
        #expect(listed.last?["parent"]?.stringValue == folderID)
        #expect(!icloud.currentLibrary.isFavorite(5))
        #expect(try await call("POST", ["action": "deleteAlbum", "album": .string(folderID)]).0 == 200)
        #expect(icloud.currentLibrary.album(album)?.deleted == true, "a folder's deletion takes its albums")
    }
}
