import Foundation

/// One `changes/zone` page of one zone, or the zone's error (reported per zone with HTTP 200).
public struct ZoneChangesPage: Sendable {
    public var records: [CloudKitRecord]
    public var syncToken: String?
    public var moreComing: Bool
    /// `serverErrorCode` (`BAD_REQUEST`: the token is invalid or expired; `ZONE_NOT_FOUND`).
    public var errorCode: String?
    public var reason: String?
}

/// The result of `changes/database`: the changed zones and the newest database token.
public struct DatabaseChanges: Sendable {
    public var zoneNames: [String]
    public var syncToken: String?
    public var moreComing: Bool
}

/// The change-token calls of CloudKit (docs/references.md#cloudkit-change-tokens).
extension PhotosService {
    /// `changes/database`: which zones changed since `token` (every zone without one).
    public func databaseChanges(_ database: Database, token: String?) async throws(ToolError) -> DatabaseChanges {
        var body = JSONObject()
        if let token { body["syncToken"] = .string(token) }
        let data = try await post(database, "changes/database", .object(body))
        guard let json = try? JSON.parse(Array(data)) else { throw .runtime("iCloud Photos: unreadable changes/database answer") }
        let zones = (json["zones"]?.arrayValue ?? []).compactMap { $0["zoneID"]?["zoneName"]?.stringValue }
        return DatabaseChanges(zoneNames: zones, syncToken: json["syncToken"]?.stringValue, moreComing: json["moreComing"]?.boolValue ?? false)
    }

    /// The listing's keys and the CPLAlbum fields the feed's album records need (Apple honours
    /// `desiredKeys` on `changes/zone`; the listing's list has the relations' keys already).
    static let changeKeys = desiredKeys + ["albumNameEnc", "albumType", "parentId"]

    /// One `changes/zone` page. The token is never sent as "" (that means "caught up").
    public func zoneChanges(_ zone: PhotoLibraryZone, token: String) async throws(ToolError) -> ZoneChangesPage {
        let body: JSON = ["zones": [["zoneID": zone.zoneID, "syncToken": .string(token), "resultsLimit": 200,
                                     "desiredKeys": .array(Self.changeKeys.map { .string($0) })]]]
        let data = try await post(zone.isShared ? .shared : .private, "changes/zone", body)
        guard let reply = try? JSON.parse(Array(data)), let zone = reply["zones"]?.arrayValue?.first, zone.objectValue != nil else {
            throw .runtime("iCloud Photos: unreadable changes/zone answer")
        }
        return ZoneChangesPage(records: CloudKitQueryResponse.records(in: zone["records"]), syncToken: zone["syncToken"]?.stringValue,
                               moreComing: zone["moreComing"]?.boolValue ?? false, errorCode: zone["serverErrorCode"]?.stringValue,
                               reason: zone["reason"]?.stringValue)
    }
}
