import Foundation

/// The parts of an external library a client needs.
public struct ImmichLibrary: Sendable {
    public let id: String
    public let name: String
    public let ownerId: String
    public let importPaths: [String]

    public init(id: String, name: String, ownerId: String, importPaths: [String]) {
        self.id = id
        self.name = name
        self.ownerId = ownerId
        self.importPaths = importPaths.map(PathMapping.normalize)
    }

    public func importPath(containing serverPath: String) -> String? {
        importPaths.first { PathMapping.isWithin(serverPath, $0) }
    }
}

/// An asset as returned by search or `GET /assets/{id}`.
public struct ImmichAsset: Sendable, Equatable {
    public let id: String
    public let originalPath: String
    public let type: String
    public let ownerId: String?
    public let libraryId: String?
    public let isFavorite: Bool
    public let livePhotoVideoId: String?
    public let visibility: String?
    public let stackId: String?
    public let stackPrimaryAssetId: String?
    /// In Immich's trash (`isTrashed`; a lookup that asked for trashed assets only sets it too).
    public var isTrashed: Bool
    /// Trashed by a scan because its file was missing: only a scan that finds the file brings it back.
    public let isOffline: Bool

    public init?(_ json: JSON) {
        guard let id = json["id"]?.stringValue, let path = json["originalPath"]?.stringValue else { return nil }
        self.id = id
        self.originalPath = path
        self.type = json["type"]?.stringValue ?? "IMAGE"
        self.ownerId = json["ownerId"]?.stringValue
        self.libraryId = json["libraryId"]?.stringValue
        self.isFavorite = json["isFavorite"]?.boolValue ?? false
        self.livePhotoVideoId = json["livePhotoVideoId"]?.stringValue
        self.visibility = json["visibility"]?.stringValue
        self.stackId = json["stack"]?["id"]?.stringValue ?? json["stackId"]?.stringValue
        self.stackPrimaryAssetId = json["stack"]?["primaryAssetId"]?.stringValue
        self.isTrashed = json["isTrashed"]?.boolValue ?? false
        self.isOffline = json["isOffline"]?.boolValue ?? false
    }
}

/// The key's user and the library, checked once at start.
public struct ImmichSession: Sendable {
    public let client: ImmichClient
    public let userId: String
    public let library: ImmichLibrary
}

extension ImmichClient {
    /// Checks the key, the user and the library before any work: a clear error for a wrong key,
    /// a non-admin user, an unknown library or one owned by someone else.
    public func openLibrary(id libraryId: String) async throws(ToolError) -> ImmichSession {
        guard version >= ImmichCapabilities.minimum else {
            throw ToolError.runtime("Immich \(version) is too old: this tool needs v1.106 or newer")
        }
        let trimmed = libraryId.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw ToolError.usage("no library id: give --library-id or set IMMICH_LIBRARY_ID (find it with: curl -H 'x-api-key: …' \(HTTPError.redactedURL(baseURL))/libraries)")
        }
        guard UUID(uuidString: trimmed) != nil else {
            throw ToolError.usage("library id '\(trimmed)' is not a UUID (find it with: curl -H 'x-api-key: …' \(HTTPError.redactedURL(baseURL))/libraries)")
        }
        let me: JSON
        do { me = try await call("GET", "/users/me") } catch { throw toolError(error, doing: "read the key's user") }
        guard let userId = me["id"]?.stringValue else { throw ToolError.runtime("unexpected answer to GET /api/users/me") }
        let reply: JSON
        do {
            reply = try await call("GET", "/libraries/\(trimmed)")
        } catch let error as ImmichAPIError where error.status == 400 || error.status == 404 {
            throw ToolError.runtime("library \(trimmed) does not exist on the server (\(error.message)); list libraries with: curl -H 'x-api-key: …' \(HTTPError.redactedURL(baseURL))/libraries")
        } catch let error as ImmichAPIError where error.status == 403 {
            throw ToolError(.authentication, "the API key's user (\(me["email"]?.stringValue ?? userId)) is not an admin, and library scans need one (\(error.message))")
        } catch {
            throw toolError(error, doing: "read library \(trimmed)")
        }
        if let type = reply["type"]?.stringValue, type.uppercased() != "EXTERNAL" {
            throw ToolError.runtime("library \(trimmed) is an \(type.lowercased()) library, not an external library")
        }
        let library = ImmichLibrary(
            id: trimmed, name: reply["name"]?.stringValue ?? trimmed, ownerId: reply["ownerId"]?.stringValue ?? userId,
            importPaths: reply["importPaths"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        guard library.ownerId == userId else {
            throw ToolError.runtime("library '\(library.name)' belongs to another user (\(library.ownerId)); its assets can only be changed with the owner's API key")
        }
        guard !library.importPaths.isEmpty else {
            throw ToolError.runtime("library '\(library.name)' has no import paths; add the download folder under Administration → External Libraries")
        }
        return ImmichSession(client: self, userId: userId, library: library)
    }
}
