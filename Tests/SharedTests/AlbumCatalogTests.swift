import Foundation
import Shared
import Testing

/// Reading CPLAlbum records and naming albums by their folder path.
@Suite struct AlbumCatalogTests {
    static func album(_ id: String, _ name: String?, type: Int = 0, parent: String? = nil, deleted: Bool = false) -> CloudKitRecord {
        var fields: [String: CloudKitField] = ["albumType": CloudKitField(value: .int(type), type: "INT64")]
        if let name { fields["albumNameEnc"] = CloudKitField(value: .string(Data(name.utf8).base64EncodedString()), type: "ENCRYPTED_BYTES") }
        if let parent { fields["parentId"] = CloudKitField(value: .string(parent), type: "STRING") }
        if deleted { fields["isDeleted"] = CloudKitField(value: 1, type: "INT64") }
        return CloudKitRecord(recordName: id, recordType: "CPLAlbum", fields: fields)
    }

    @Test func recordsAreReadAsAlbumsFoldersDeletionsOrNothing() {
        #expect(AlbumCatalog.read(Self.album("A", "Trips", parent: "----Root-Folder----")) == .entry(.init(name: "Trips", parent: nil, isFolder: false)))
        #expect(AlbumCatalog.read(Self.album("F", "Family", type: 3)) == .entry(.init(name: "Family", parent: nil, isFolder: true)))
        #expect(AlbumCatalog.read(Self.album("K", "Kids", parent: "F")) == .entry(.init(name: "Kids", parent: "F", isFolder: false)))
        #expect(AlbumCatalog.read(Self.album("A", "Trips", deleted: true)) == .deleted)
        #expect(AlbumCatalog.read(Self.album("----Root-Folder----", "", type: 3)) == .ignored)
        #expect(AlbumCatalog.read(Self.album("S", "Smart", type: 6)) == .ignored)
        #expect(AlbumCatalog.read(Self.album("N", nil)) == .ignored)
    }

    @Test func namesArePathsSortedByTheirBytesEachOnce() {
        var catalog = AlbumCatalog()
        catalog.set("F", .init(name: "Family", parent: nil, isFolder: true))
        catalog.set("G", .init(name: "2024", parent: "F", isFolder: true))
        catalog.set("K", .init(name: "Kids", parent: "G", isFolder: false))
        catalog.set("E", .init(name: "Été", parent: nil, isFolder: false))
        catalog.set("Z", .init(name: "Zoo", parent: nil, isFolder: false))
        catalog.set("Z2", .init(name: "Zoo", parent: nil, isFolder: false))
        catalog.set("a", .init(name: "art", parent: nil, isFolder: false))
        catalog.set("O", .init(name: "Orphan", parent: "missing", isFolder: false))
        #expect(catalog.names(["K", "E", "Z", "Z2", "a", "F", "O", "unknown"]) == ["Family/2024/Kids", "Zoo", "art", "Été"])
        #expect(catalog.unresolved == ["O"])
        #expect(catalog.remove("F") == ["F", "G", "K"])
        #expect(catalog.path("K") == nil)
    }
}
