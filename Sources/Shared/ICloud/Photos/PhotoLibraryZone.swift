/// A library: a CloudKit zone of the private database (`PrimarySync`) or of the shared one
/// (`SharedSync-…`). The full `zoneID` object is sent back as Apple gave it.
public struct PhotoLibraryZone: Sendable {
    public var name: String
    public var zoneID: JSON
    public var isShared: Bool

    public init(name: String, zoneID: JSON, isShared: Bool) {
        self.name = name
        self.zoneID = zoneID
        self.isShared = isShared
    }

    /// What icloudpd sends before `zones/list` was read: only the name.
    public static let primary = PhotoLibraryZone(name: "PrimarySync", zoneID: ["zoneName": "PrimarySync"], isShared: false)
}
