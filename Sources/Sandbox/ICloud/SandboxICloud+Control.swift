import Foundation
import Shared

/// `POST /_sandbox/library`: changes the library as a user would in Photos, for scripts and
/// demos (tests call `setConfig { $0.library.… }` directly). Each body names one `action`:
/// `{"action":"favorite","index":3,"favorite":false}`, `{"action":"deletePhoto","index":3}`,
/// `{"action":"addPhotos","count":2}`, `{"action":"createFolder","name":"Family","folder":ID?}`,
/// `{"action":"createAlbum","name":"Kids","folder":ID?,"members":[1,2]}`,
/// `{"action":"addToAlbum","album":ID,"index":3}`, `{"action":"removeFromAlbum","album":ID,"index":3}`,
/// `{"action":"renameAlbum","album":ID,"name":"Trips 2024"}`, `{"action":"deleteAlbum","album":ID,"purge":false}`.
/// Answers `{"id":…}` for what it created, `{}` otherwise; `GET` answers the albums and their members.
extension SandboxICloud {
    func libraryControl(_ request: HTTPServerRequest) -> HTTPServerResponse {
        if request.method == "GET" { return Self.json(200, ["albums": .array(albumSummary(currentLibrary))]) }
        guard let body = Self.body(request), let action = body["action"]?.stringValue else {
            return Self.json(400, ["error": "expected a JSON object with an action"])
        }
        let index = body["index"]?.intValue, album = body["album"]?.stringValue
        let name = body["name"]?.stringValue, folder = body["folder"]?.stringValue
        var created: String? = nil
        var problem: String? = nil
        setConfig { config in
            let library = config.library
            func known(_ id: String?) -> Bool { id.map { library.album($0) != nil } ?? false }
            func photo(_ i: Int?) -> Bool { i.map { (0..<library.count).contains($0) } ?? false }
            switch action {
            case "favorite" where photo(index): config.library.setFavorite(index!, body["favorite"]?.boolValue ?? true)
            case "deletePhoto" where photo(index): config.library.delete(index!)
            case "addPhotos": config.library.addPhotos(max(0, body["count"]?.intValue ?? 1))
            case "createFolder" where name != nil && (folder == nil || known(folder)):
                created = config.library.createFolder(name!, id: body["id"]?.stringValue, in: folder)
            case "createAlbum" where name != nil && (folder == nil || known(folder)):
                let members = (body["members"]?.arrayValue ?? []).compactMap(\.intValue)
                created = config.library.createAlbum(name!, id: body["id"]?.stringValue, in: folder, members: members)
            case "addToAlbum" where known(album) && photo(index): config.library.addToAlbum(index!, album!)
            case "removeFromAlbum" where known(album) && photo(index): config.library.removeFromAlbum(index!, album!)
            case "renameAlbum" where known(album) && name != nil: config.library.renameAlbum(album!, to: name!)
            case "deleteAlbum" where known(album): config.library.deleteAlbum(album!, purge: body["purge"]?.boolValue ?? false)
            default: problem = "unknown action, album, folder or photo index in \(body.serialized)"
            }
        }
        if let problem { return Self.json(400, ["error": .string(problem)]) }
        return Self.json(200, created.map { ["id": .string($0)] } ?? [:])
    }

    /// Every listed album and folder: id, name, folder, deleted, and an album's member indices.
    func albumSummary(_ library: SandboxPhotoLibrary) -> [JSON] {
        library.albums.filter(\.isListed).map { album in
            var entry: JSONObject = ["id": .string(album.recordName), "name": .string(album.name), "folder": .bool(album.isFolder),
                                     "deleted": .bool(album.deleted)]
            if let parent = album.parent { entry["parent"] = .string(parent) }
            if !album.isFolder {
                entry["members"] = .array((0..<library.count).filter { album.contains($0) && !library.isDeleted($0) }.map { .int($0) })
            }
            return .object(entry)
        }
    }
}
