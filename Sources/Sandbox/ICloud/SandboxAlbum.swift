import Foundation

extension SandboxPhotoLibrary {
    /// A user album or folder of the library, as iCloud keeps it in a `CPLAlbum` record
    /// (`albumType` 0: album, 3: folder; `parentId`: the folder holding it). An album's members
    /// are a rule (`index % modulus == remainder`, so a 20,000-photo library needs no list) plus
    /// photos added and minus photos removed since.
    public struct Album: Sendable {
        public var name: String
        public var recordName: String
        /// 0: no rule, only `added`.
        public var modulus: Int
        public var remainder: Int
        public var isFolder = false
        /// The folder's record name; nil: the top level (`----Root-Folder----`).
        public var parent: String? = nil
        public var added: Set<Int> = []
        public var removed: Set<Int> = []
        /// Deleted in Photos: the CPLAlbum record stays, with `isDeleted = 1`.
        public var deleted = false
        /// Gone for good: only a tombstone in the change feed, nothing in listings.
        public var purged = false

        public init(name: String, recordName: String, modulus: Int, remainder: Int) {
            self.name = name
            self.recordName = recordName
            self.modulus = modulus
            self.remainder = remainder
        }

        /// An album (or folder) with exactly these members.
        public init(name: String, recordName: String, folder: Bool = false, parent: String? = nil, members: [Int] = []) {
            self.init(name: name, recordName: recordName, modulus: 0, remainder: 0)
            isFolder = folder
            self.parent = parent
            added = Set(members)
        }

        var byRule: (Int) -> Bool { { [modulus, remainder] in modulus > 0 && $0 % modulus == remainder } }

        public func contains(_ index: Int) -> Bool {
            !deleted && !purged && !isFolder && !removed.contains(index) && (added.contains(index) || byRule(index))
        }

        /// Listed by `CPLAlbumByPositionLive` (a deleted album is listed with `isDeleted`).
        public var isListed: Bool { !purged }
    }

    public func album(_ recordName: String) -> Album? { albums.first { $0.recordName == recordName } }

    /// The albums and folders directly inside a folder (nil: the top level), in position order.
    public func albums(in folder: String?) -> [Album] { albums.filter { $0.parent == folder && $0.isListed } }

    /// `<asset>-IN-<album>`: the `CPLContainerRelation` that puts a photo in an album.
    public func relationName(_ index: Int, _ album: String) -> String { "\(photo(index: index).assetName)-IN-\(album)" }

    // MARK: changes (each one version, like the photo mutations)

    /// A new folder; returns its record name.
    @discardableResult
    public mutating func createFolder(_ name: String, id: String? = nil, in parent: String? = nil) -> String {
        changes.version += 1
        let album = Album(name: name, recordName: id ?? newAlbumID(), folder: true, parent: parent)
        albums.append(album)
        changes.albumLog[album.recordName] = changes.version
        return album.recordName
    }

    /// A new album (optionally inside a folder) holding `members`; returns its record name.
    @discardableResult
    public mutating func createAlbum(_ name: String, id: String? = nil, in folder: String? = nil, members: [Int] = []) -> String {
        changes.version += 1
        let album = Album(name: name, recordName: id ?? newAlbumID(), parent: folder, members: members)
        albums.append(album)
        changes.albumLog[album.recordName] = changes.version
        for index in members { changes.relationLog[relationName(index, album.recordName)] = .init(version: changes.version, album: album.recordName, index: index) }
        return album.recordName
    }

    public mutating func addToAlbum(_ index: Int, _ album: String) {
        setMember(index, album, true)
    }

    public mutating func removeFromAlbum(_ index: Int, _ album: String) {
        setMember(index, album, false)
    }

    /// The CPLAlbum record changes with its relation, as iCloud sends both.
    mutating func setMember(_ index: Int, _ album: String, _ member: Bool) {
        guard let at = albums.firstIndex(where: { $0.recordName == album }) else { return }
        changes.version += 1
        if member { albums[at].added.insert(index); albums[at].removed.remove(index) }
        else { albums[at].removed.insert(index); albums[at].added.remove(index) }
        changes.albumLog[album] = changes.version
        changes.relationLog[relationName(index, album)] = .init(version: changes.version, album: album, index: index)
    }

    public mutating func renameAlbum(_ album: String, to name: String) {
        guard let at = albums.firstIndex(where: { $0.recordName == album }) else { return }
        changes.version += 1
        albums[at].name = name
        changes.albumLog[album] = changes.version
    }

    /// Deleted in Photos (a folder with everything inside it): `isDeleted = 1` on the CPLAlbum
    /// records; `purge`: tombstones instead. The members' relations are not sent again.
    public mutating func deleteAlbum(_ album: String, purge: Bool = false) {
        guard albums.contains(where: { $0.recordName == album }) else { return }
        changes.version += 1
        var doomed: Set<String> = [album]
        var grew = true
        while grew {
            let inside = albums.filter { $0.parent.map(doomed.contains) ?? false }.map(\.recordName)
            grew = !Set(inside).isSubset(of: doomed)
            doomed.formUnion(inside)
        }
        for i in albums.indices where doomed.contains(albums[i].recordName) {
            if purge { albums[i].purged = true } else { albums[i].deleted = true }
            changes.albumLog[albums[i].recordName] = changes.version
        }
    }

    /// New photos join the albums whose rule holds them: iCloud sends their relations.
    mutating func logRuleMemberships(_ indices: Range<Int>) {
        for album in albums where album.modulus > 0 && !album.deleted && !album.purged {
            for index in indices where album.contains(index) {
                changes.relationLog[relationName(index, album.recordName)] = .init(version: changes.version, album: album.recordName, index: index)
            }
        }
    }

    func newAlbumID() -> String {
        var n = albums.count + 1
        while albums.contains(where: { $0.recordName == String(format: "\(recordPrefix)LBM-%04d-5EED", n) }) { n += 1 }
        return String(format: "\(recordPrefix)LBM-%04d-5EED", n)
    }
}
