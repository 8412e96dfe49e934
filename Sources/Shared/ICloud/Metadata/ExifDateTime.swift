/// A minimal JPEG EXIF editor for `--set-exif-datetime` (docs/references.md#icloudpd-metadata):
/// sets DateTimeOriginal (0x9003) and, when absent, DateTimeDigitized (0x9004) in the Exif sub-IFD.
///
/// Safety first: nothing already in the file moves. A file without EXIF gets a new APP1 after
/// SOI (and after a leading APP0/JFIF, which piexif would drop). A file with EXIF gets a
/// rewritten Exif IFD (and IFD0, when it had no Exif pointer) appended to the end of its TIFF
/// data; only the one pointer to it changes, so every existing offset (maker notes included)
/// stays valid. Anything unexpected returns `.unexpected` and the caller keeps the file as is.
public enum ExifDateTime {
    public enum Outcome: Equatable, Sendable {
        case updated([UInt8])
        /// DateTimeOriginal is already there (and no overwrite).
        case alreadySet
        case unexpected(String)
    }

    static let dateTimeOriginal: UInt16 = 0x9003
    static let dateTimeDigitized: UInt16 = 0x9004
    static let exifPointer: UInt16 = 0x8769
    static let ascii: UInt16 = 2
    static let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]

    /// `dateTime` is `YYYY:MM:DD HH:MM:SS` (19 characters).
    public static func set(_ dateTime: String, in jpeg: [UInt8], overwrite: Bool) -> Outcome {
        let value = Array(dateTime.utf8) + [0]
        guard value.count == 20 else { return .unexpected("bad date \(dateTime)") }
        guard jpeg.count >= 4, jpeg[0] == 0xFF, jpeg[1] == 0xD8 else { return .unexpected("not a JPEG") }
        let segments: [Segment]
        switch JPEGSegments.scan(jpeg) {
        case .success(let s): segments = s
        case .failure(let reason): return .unexpected(reason.description)
        }
        if let app1 = segments.first(where: { $0.marker == 0xE1 && Array(jpeg[$0.payload.prefix(6)]) == exifHeader }) {
            let tiffStart = app1.payload.lowerBound + 6
            let tiff = Array(jpeg[tiffStart..<app1.payload.upperBound])
            let edited: [UInt8]
            switch TIFFEdit.settingDates(value, in: tiff, overwrite: overwrite) {
            case .alreadySet: return .alreadySet
            case .unexpected(let reason): return .unexpected(reason)
            case .updated(let t): edited = t
            }
            let length = 2 + 6 + edited.count
            guard length <= 0xFFFF else { return .unexpected("EXIF segment would exceed 64 KB") }
            var out = Array(jpeg[..<app1.start])
            out += [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + exifHeader + edited
            out += jpeg[app1.payload.upperBound...]
            return .updated(out)
        }
        // No EXIF: a fresh APP1 after SOI, or after a leading APP0 (JFIF wants to come first).
        let insertAt = segments.first.map { $0.marker == 0xE0 ? $0.payload.upperBound : $0.start } ?? 2
        let tiff = TIFFEdit.fresh(value)
        let length = 2 + 6 + tiff.count
        var out = Array(jpeg[..<insertAt])
        out += [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + exifHeader + tiff
        out += jpeg[insertAt...]
        return .updated(out)
    }
}

/// One marker segment with a length field, before the image data.
struct Segment: Equatable {
    var marker: UInt8
    /// Index of the 0xFF of the marker.
    var start: Int
    /// The bytes after the length field.
    var payload: Range<Int>
}

/// Marker segments from SOI up to SOS (reference: JPEG ISO 10918-1 B.1).
enum JPEGSegments {
    struct Problem: Error, CustomStringConvertible { var description: String }

    static func scan(_ jpeg: [UInt8]) -> Result<[Segment], Problem> {
        var segments: [Segment] = []
        var at = 2
        while true {
            guard at + 1 < jpeg.count, jpeg[at] == 0xFF else { return .failure(Problem(description: "no marker at \(at)")) }
            var markerAt = at + 1
            while markerAt < jpeg.count && jpeg[markerAt] == 0xFF { markerAt += 1 }  // fill bytes
            guard markerAt < jpeg.count else { return .failure(Problem(description: "truncated marker")) }
            let marker = jpeg[markerAt]
            if marker == 0xD9 || marker == 0xDA { return .success(segments) }  // EOI, SOS: image data follows
            if marker == 0x01 || (0xD0...0xD7).contains(marker) || marker == 0xD8 || marker == 0x00 {
                return .failure(Problem(description: "unexpected marker \(marker) before image data"))
            }
            guard markerAt + 2 < jpeg.count else { return .failure(Problem(description: "truncated segment")) }
            let length = Int(jpeg[markerAt + 1]) << 8 | Int(jpeg[markerAt + 2])
            let end = markerAt + 1 + length
            guard length >= 2, end <= jpeg.count else { return .failure(Problem(description: "segment runs past the end")) }
            segments.append(Segment(marker: marker, start: at, payload: (markerAt + 3)..<end))
            at = end
        }
    }
}
