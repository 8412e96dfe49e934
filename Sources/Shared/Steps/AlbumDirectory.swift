import Foundation

/// The albums the key's user can add to, read once per run (owned, then shared with them),
/// with names resolved deterministically (owned by the user first, then the oldest), and the
/// members of each album read once, when it is first used, so adds already made are not resent.
final class AlbumDirectory {
    struct Album {
        let id: String
        let name: String
        let owned: Bool
        let createdAt: String
    }

    let client: ImmichClient
    let userId: String
    private(set) var byName: [String: Album] = [:]
    private var knownIds = Set<String>()
    private var byId: [String: Album] = [:]
    private var members: [String: Set<String>] = [:]
    private var loaded = false

    init(client: ImmichClient, userId: String) {
        self.client = client
        self.userId = userId
    }

    func loadIfNeeded() async throws {
        guard !loaded else { return }
        var albums: [Album] = []
        for query in [[], [("shared", "true")]] as [[(String, String)]] {
            for item in try await client.call("GET", "/albums", query: query).arrayValue ?? [] {
                guard let album = Self.album(item, userId: userId), knownIds.insert(album.id).inserted else { continue }
                albums.append(album)
            }
        }
        for album in albums {
            byId[album.id] = album
            consider(album)
        }
        loaded = true
    }

    static func album(_ item: JSON, userId: String) -> Album? {
        guard let id = item["id"]?.stringValue, let name = item["albumName"]?.stringValue else { return nil }
        let owner = item["ownerId"]?.stringValue ?? item["owner"]?["id"]?.stringValue
        return Album(id: id, name: name, owned: owner == userId, createdAt: item["createdAt"]?.stringValue ?? "")
    }

    /// Keeps the better of two same-named albums: ours, then the oldest, then the smaller id.
    private func consider(_ album: Album) {
        guard let current = byName[album.name] else { byName[album.name] = album; return }
        let better: Bool
        if album.owned != current.owned {
            better = album.owned
        } else if album.createdAt != current.createdAt {
            better = album.createdAt < current.createdAt
        } else {
            better = album.id < current.id
        }
        if better { byName[album.name] = album }
    }

    /// An album we created; `initial` nil means its members must be read from the server.
    func add(_ album: Album, members initial: Set<String>?) {
        knownIds.insert(album.id)
        byId[album.id] = album
        byName[album.name] = album
        members[album.id] = initial
    }

    /// The album's current members, as `ImmichCapabilities.albumListing` says to read them.
    func members(of albumId: String) async throws -> Set<String> {
        if let known = members[albumId] { return known }
        var ids = Set<String>()
        switch client.capabilities.albumListing {
        case .albumAssets:
            let album = try await client.call("GET", "/albums/\(albumId)")
            for asset in album["assets"]?.arrayValue ?? [] { if let id = asset["id"]?.stringValue { ids.insert(id) } }
        case .filterSearch:
            var cursor: String?
            repeat {
                var body: JSONObject = ["filter": ["albumIds": ["any": [.string(albumId)]]], "size": 1000]
                if let cursor { body["cursor"] = .string(cursor) }
                let reply = try await client.call("POST", "/search/metadata", body: .object(body))
                for item in reply["assets"]?["items"]?.arrayValue ?? [] { if let id = item["id"]?.stringValue { ids.insert(id) } }
                cursor = reply["assets"]?["nextCursor"]?.stringValue
            } while cursor != nil
        case .flatSearch:
            var page = 1
            while true {
                let body: JSON = ["albumIds": [.string(albumId)], "page": .int(page), "size": 1000]
                let reply = try await client.call("POST", "/search/metadata", body: body)
                for item in reply["assets"]?["items"]?.arrayValue ?? [] { if let id = item["id"]?.stringValue { ids.insert(id) } }
                guard let next = reply["assets"]?["nextPage"], !next.isNull else { break }
                page = Int(next.stringValue ?? "") ?? (page + 1)
            }
        }
        members[albumId] = ids
        return ids
    }

    /// An album the user can reach, by id (nil: gone, or never theirs).
    func album(id: String) -> Album? { byId[id] }

    func noteRemoved(_ ids: some Sequence<String>, from albumId: String) {
        members[albumId]?.subtract(ids)
    }

    func noteAdded(_ ids: some Sequence<String>, to albumId: String) {
        members[albumId, default: []].formUnion(ids)
    }

    /// After a failed `POST /albums`: an album of that name that was not there before, if the
    /// first attempt created it.
    func landed(name: String) async throws -> JSON? {
        let albums = try await client.call("GET", "/albums").arrayValue ?? []
        return albums.first { item in
            item["albumName"]?.stringValue == name && !(item["id"]?.stringValue.map(knownIds.contains) ?? true)
        }
    }
}
