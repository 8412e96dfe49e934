import Foundation
import Shared

/// A deterministic, generated iCloud photo library: photo `index` is computed on demand (no
/// storage), so the fake serves 20,000 photos as cheaply as 20. Rank 0 is the newest photo
/// (highest index); adding photos puts them on top, as new photos do in iCloud.
///
/// The library cycles through 16 kinds so every icloudpd naming rule is exercised: live HEIC
/// and JPEG photos, edited HEIC/JPEG (adjusted), RAW+JPEG pairs (alternative), videos, PNG
/// screenshots with reserved characters, unicode and all-non-ASCII names, a missing
/// `filenameEnc`, same-name photos of different size on one day (dedup suffix) and exact twins.
/// Edited photos carry `adjustmentSimpleDataEnc` with an orientation (HEIC 6, JPEG 8), screenshots
/// a markup CRDT and videos a slow-motion plist (`SandboxAdjustmentData`).
/// Dates run from 2004 in 4-day steps, each with one of several UTC offsets.
public struct SandboxPhotoLibrary: Sendable {
    public var zoneName: String
    public var count: Int
    /// Prefix of record names (keeps zones apart).
    public var recordPrefix: String
    /// Multiplies every file size (benchmarks use smaller files).
    public var sizeScale: Double
    /// Only names Immich imports: the all-non-ASCII name (which icloudpd, without
    /// --keep-unicode-in-filenames, turns into the hidden `.jpg`) keeps some ASCII letters.
    public var importableNames = false
    public var albums: [Album]
    /// The top-level album listing holds every album and folder, nested ones too (each with its
    /// `parentId`), as some accounts are reported to answer; default: the top level only.
    public var flatAlbumListing = false
    /// Mutations after creation (tests of incremental sync).
    public var changes = SandboxLibraryChanges()

    public init(zoneName: String = "PrimarySync", count: Int = 64, recordPrefix: String = "A", sizeScale: Double = 1,
                albums: [Album] = SandboxPhotoLibrary.defaultAlbums) {
        self.zoneName = zoneName
        self.count = count
        self.recordPrefix = recordPrefix
        self.sizeScale = sizeScale
        self.albums = albums
    }

    public static let defaultAlbums = [
        Album(name: "Trips", recordName: "ALBUM-TRIPS-0001", modulus: 5, remainder: 1),
        Album(name: "Family", recordName: "ALBUM-FAMILY-0002", modulus: 7, remainder: 2),
        Album(name: "Été à Paris", recordName: "ALBUM-ETE-0003", modulus: 11, remainder: 0),
    ]

    // MARK: one photo

    public enum Kind: Int, Sendable, CaseIterable {
        case liveHEIC, plainJPEG, editedHEIC, editedJPEG, rawPlusJPEG, video, screenshotPNG, unicodeName,
             collideFirst, collideSecond, nonASCIIName, noFilename, liveJPEG, plainHEICString, twinFirst, twinSecond
    }

    /// One resource (`<prefix>Res` + `<prefix>FileType`) and the record it lives in.
    public struct Resource: Sendable {
        public var prefix: String
        public var uti: String
        public var size: Int
        public var inAsset: Bool
    }

    public struct Photo: Sendable {
        public var index: Int
        public var kind: Kind
        public var masterName: String
        public var assetName: String
        /// nil: no `filenameEnc`.
        public var filename: String?
        public var filenameAsString: Bool
        public var itemType: String
        /// Milliseconds since the epoch.
        public var assetDate: Int64
        public var timeZoneOffset: Int
        public var isFavorite: Bool
        public var resources: [Resource]
        public var adjusted: Bool
        /// `adjustmentSimpleDataEnc` (base64), nil: no such field.
        public var adjustmentSimpleData: String?
    }

    public static let offsets = [-28800, -18000, 0, 3600, 19800, 32400, 45900, -12600, 7200]
    static let base2004: Int64 = 1_072_915_200  // 2004-01-01T00:00:00Z

    public func kind(_ index: Int) -> Kind { Kind(rawValue: index % 16)! }

    public func photo(index: Int) -> Photo {
        let kind = kind(index)
        // Second of a pair: same day as the first (one minute later), so the names meet in one folder.
        let paired = kind == .collideSecond || kind == .twinSecond
        let dateIndex = paired ? index - 1 : index
        let seconds = Self.base2004 + Int64(dateIndex) * 4 * 86400 + Int64((dateIndex * 7919) % 80000) + (paired ? 60 : 0)
        let number = String(format: "%04d", index % 10000)
        let sizeIndex = kind == .twinSecond ? index - 1 : index
        func size(_ base: Int, _ spread: Int) -> Int {
            max(64, Int(Double(base + (sizeIndex * 7919) % spread) * sizeScale))
        }
        let original = size(20_000, 40_000), medium = size(4_000, 2_000), thumb = size(900, 300)
        var resources: [Resource] = []
        var filename: String? = "IMG_\(number).JPG"
        var itemType = UTI.jpeg
        var adjusted = false
        var adjustmentSimpleData: String? = nil
        func still(_ uti: String, edited: Bool = false) {
            resources.append(Resource(prefix: "resOriginal", uti: uti, size: original, inAsset: false))
            resources.append(Resource(prefix: "resJPEGMed", uti: UTI.jpeg, size: medium, inAsset: edited))
            resources.append(Resource(prefix: "resJPEGThumb", uti: UTI.jpeg, size: thumb, inAsset: edited))
            if edited {
                resources.append(Resource(prefix: "resJPEGFull", uti: UTI.jpeg, size: size(15_000, 30_000), inAsset: true))
                adjusted = true
            }
        }
        func live() {
            resources.append(Resource(prefix: "resOriginalVidCompl", uti: UTI.quickTimeMovie, size: size(30_000, 20_000), inAsset: false))
            resources.append(Resource(prefix: "resVidMed", uti: UTI.quickTimeMovie, size: size(8_000, 4_000), inAsset: false))
            resources.append(Resource(prefix: "resVidSmall", uti: UTI.quickTimeMovie, size: size(2_000, 1_000), inAsset: false))
        }
        switch kind {
        case .liveHEIC: filename = "IMG_\(number).HEIC"; itemType = UTI.heic; still(UTI.heic); live()
        case .plainJPEG: still(UTI.jpeg)
        case .editedHEIC:
            filename = "IMG_\(number).HEIC"; itemType = UTI.heic; still(UTI.heic, edited: true)
            adjustmentSimpleData = SandboxAdjustmentData.rotatedRight
        case .editedJPEG: still(UTI.jpeg, edited: true); adjustmentSimpleData = SandboxAdjustmentData.rotatedLeft
        case .rawPlusJPEG:
            // Every other pair has the RAW as the original (tests --align-raw both ways).
            let rawFirst = (index / 16) % 2 == 1
            let raw = rawFirst ? "com.canon.cr2-raw-image" : "com.adobe.raw-image"
            still(rawFirst ? raw : UTI.jpeg)
            itemType = rawFirst ? raw : UTI.jpeg
            resources.append(Resource(prefix: "resOriginalAlt", uti: rawFirst ? UTI.jpeg : raw, size: size(50_000, 30_000), inAsset: false))
        case .video:
            filename = "MVI_\(number).MOV"; itemType = UTI.quickTimeMovie
            resources.append(Resource(prefix: "resOriginal", uti: UTI.quickTimeMovie, size: size(60_000, 40_000), inAsset: false))
            resources.append(Resource(prefix: "resVidMed", uti: UTI.quickTimeMovie, size: size(12_000, 4_000), inAsset: false))
            resources.append(Resource(prefix: "resVidSmall", uti: UTI.quickTimeMovie, size: size(3_000, 1_000), inAsset: false))
            adjustmentSimpleData = SandboxAdjustmentData.slowMotion
        case .screenshotPNG:
            filename = "Screenshot: \(number)?.png"; itemType = UTI.png; still(UTI.png)
            adjustmentSimpleData = SandboxAdjustmentData.markup
        case .unicodeName: filename = "Café del Mar \(number).heic"; itemType = UTI.heic; still(UTI.heic)
        case .collideFirst, .collideSecond: filename = "IMG_SAME.JPG"; still(UTI.jpeg)
        case .nonASCIIName: filename = importableNames ? "東京 Tower \(number).jpg" : "東京タワー.jpg"; still(UTI.jpeg); live()
        case .noFilename: filename = nil; still(UTI.jpeg)
        case .liveJPEG: still(UTI.jpeg); live()
        case .plainHEICString: filename = "IMG_\(number).HEIC"; itemType = UTI.heic; still(UTI.heic)
        case .twinFirst, .twinSecond: filename = "TWIN.JPG"; still(UTI.jpeg)
        }
        if let generation = changes.edits[index], kind != .video {
            // Each edit: a new adjusted render of another size (and checksum, see `seed`).
            resources.removeAll { $0.prefix == "resJPEGFull" }
            resources.append(Resource(prefix: "resJPEGFull", uti: UTI.jpeg, size: size(15_000, 30_000) + 97 * generation, inAsset: true))
            adjusted = true
        }
        return Photo(index: index, kind: kind, masterName: "\(recordPrefix)M\(String(format: "%06d", index))Zq+/x",
                     assetName: "\(recordPrefix)S\(String(format: "%06d", index))", filename: filename,
                     filenameAsString: kind == .plainHEICString, itemType: itemType, assetDate: seconds * 1000,
                     timeZoneOffset: Self.offsets[index % Self.offsets.count], isFavorite: isFavorite(index),
                     resources: resources, adjusted: adjusted, adjustmentSimpleData: adjustmentSimpleData)
    }

    public func index(ofRank rank: Int) -> Int { count - 1 - rank }

    // MARK: albums and smart folders

    /// Members of a listing, newest first: nil filter = the whole library.
    public enum Selection: Sendable, Equatable {
        case all
        case smart(String)  // FAVORITE, VIDEO, LIVE, SCREENSHOT, ...
        case album(String)  // record name
        /// "Recently Deleted": the photos moved there, and only those.
        case recentlyDeleted
        case none
    }

    public func contains(_ index: Int, _ selection: Selection) -> Bool {
        switch selection {
        case .all: return true
        case .none: return false
        case .recentlyDeleted: return isDeleted(index)
        case .album(let name): return album(name)?.contains(index) ?? false
        case .smart(let which):
            let k = kind(index)
            switch which {
            case "FAVORITE": return isFavorite(index)
            case "VIDEO": return k == .video
            case "LIVE": return k == .liveHEIC || k == .liveJPEG || k == .nonASCIIName
            case "SCREENSHOT": return k == .screenshotPNG
            default: return false
            }
        }
    }

    /// Indices of the members at ranks `start..<start+limit` (newest first).
    public func members(_ selection: Selection, start: Int, limit: Int) -> [Int] {
        var out: [Int] = []
        var rank = 0
        var index = count - 1
        if selection == .all && changes.deleted.isEmpty {
            let first = count - 1 - start
            return first < 0 ? [] : Array(stride(from: first, through: max(0, first - limit + 1), by: -1))
        }
        while index >= 0 && out.count < limit {
            if contains(index, selection) && (selection == .recentlyDeleted || !isDeleted(index)) {
                if rank >= start { out.append(index) }
                rank += 1
            }
            index -= 1
        }
        return out
    }

    public func memberCount(_ selection: Selection) -> Int {
        selection == .all && changes.deleted.isEmpty ? count : (0..<count).filter { contains($0, selection) && !isDeleted($0) }.count
    }

    // MARK: content

    /// The bytes of one resource: deterministic, exactly `size` long. JPEG resources are
    /// structurally valid JPEGs (SOI, comment segments, EOI) so EXIF can be inserted.
    public func content(index: Int, prefix: String) -> Data? {
        let p = photo(index: index)
        guard let r = p.resources.first(where: { $0.prefix == prefix }) else { return nil }
        var state = Self.seed(index: index, prefix: prefix + recordPrefix + editTag(index, prefix))
        var bytes = [UInt8](repeating: 0, count: r.size)
        var i = 0
        while i < r.size {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            var v = state
            for _ in 0..<8 where i < r.size { bytes[i] = UInt8(truncatingIfNeeded: v); v >>= 8; i += 1 }
        }
        if r.uti == UTI.jpeg && r.size >= 8 {
            // SOI, then COM segments of at most 65535 bytes filling up to EOI.
            bytes[0] = 0xFF; bytes[1] = 0xD8
            var at = 2
            let end = r.size - 2
            while at < end {
                let room = end - at
                if room < 4 { for j in at..<end { bytes[j] = 0x00 }; break }  // a little padding before EOI
                let length = min(65535, room - 2)
                bytes[at] = 0xFF; bytes[at + 1] = 0xFE
                bytes[at + 2] = UInt8(length >> 8); bytes[at + 3] = UInt8(length & 0xFF)
                // Comment bytes must not contain 0xFF markers-looking bytes for strict readers.
                for j in (at + 4)..<(at + 2 + length) where bytes[j] == 0xFF { bytes[j] = 0x7F }
                at += 2 + length
            }
            bytes[r.size - 2] = 0xFF; bytes[r.size - 1] = 0xD9
        }
        return Data(bytes)
    }

    /// Edited renders get new bytes and a new checksum per edit.
    func editTag(_ index: Int, _ prefix: String) -> String {
        guard prefix == "resJPEGFull", let generation = changes.edits[index] else { return "" }
        return "e\(generation)"
    }

    static func seed(index: Int, prefix: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in "\(index)/\(prefix)".utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h | 1
    }

    /// `fileChecksum`: base64 of 21 bytes, like Apple's.
    public func checksum(index: Int, prefix: String) -> String {
        var state = Self.seed(index: index, prefix: "sum" + prefix + recordPrefix + editTag(index, prefix))
        var bytes: [UInt8] = [0x01]
        while bytes.count < 21 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            bytes.append(UInt8(truncatingIfNeeded: state))
        }
        return Data(bytes).base64EncodedString()
    }
}
