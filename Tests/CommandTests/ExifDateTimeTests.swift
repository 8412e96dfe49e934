import Foundation
import Shared
import Testing

/// The JPEG EXIF editor on hand-made files (ExifReader reads them back independently).
@Suite struct ExifDateTimeTests {
    static let date = "2004:01:05 02:11:59"
    /// SOI, optional segments, SOS with some scan bytes, EOI.
    static func jpeg(_ segments: [[UInt8]]) -> [UInt8] {
        [0xFF, 0xD8] + segments.flatMap { $0 } + [0xFF, 0xDA, 0x00, 0x04, 0x01, 0x02, 0x10, 0x20, 0xFF, 0x00, 0x30, 0xFF, 0xD9]
    }
    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }
    static let comment = segment(0xFE, Array("hello".utf8))
    static let jfif = segment(0xE0, Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0])

    /// A little-endian EXIF: IFD0 with Make ("Canon", out of line) and, if `exif`, an Exif IFD
    /// holding ExposureTime-like tag 0x829A and optionally a DateTimeOriginal.
    static func exifSegment(exif: Bool, original: String? = nil) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16) }
        var t: [UInt8] = Array("II".utf8) + le16(42) + le32(8)
        let entries = exif ? 2 : 1
        let ifd0End = 8 + 2 + entries * 12 + 4
        t += le16(entries) + le16(0x010F) + le16(2) + le32(6) + le32(ifd0End)  // Make → "Canon\0"
        let exifAt = ifd0End + 6
        if exif { t += le16(0x8769) + le16(4) + le32(1) + le32(exifAt) }
        t += le32(0) + Array("Canon".utf8) + [0]
        if exif {
            let n = original == nil ? 1 : 2
            let valuesAt = exifAt + 2 + n * 12 + 4
            t += le16(n) + le16(0x829A) + le16(4) + le32(1) + le32(7)
            if original != nil { t += le16(0x9003) + le16(2) + le32(20) + le32(valuesAt) }
            t += le32(0)
            if let original { t += Array(original.utf8) + [0] }
        }
        return segment(0xE1, Array("Exif".utf8) + [0, 0] + t)
    }

    func updated(_ outcome: ExifDateTime.Outcome) -> [UInt8]? {
        if case .updated(let bytes) = outcome { return bytes }
        return nil
    }

    /// Everything outside the EXIF APP1 segment, byte for byte.
    func outsideApp1(_ jpeg: [UInt8]) -> [UInt8] {
        guard let r = ExifReader.app1(jpeg) else { return jpeg }
        return Array(jpeg[..<r.lowerBound]) + Array(jpeg[r.upperBound...])
    }

    @Test func addsExifToAFileWithout() throws {
        let original = Self.jpeg([Self.comment])
        let out = try #require(updated(ExifDateTime.set(Self.date, in: original, overwrite: false)))
        #expect(ExifReader.tags(out, ifd: "exif")[0x9003] == Self.date)
        #expect(ExifReader.tags(out, ifd: "exif")[0x9004] == Self.date)
        #expect(outsideApp1(out) == original)
        #expect(ExifReader.app1(out)?.lowerBound == 2)
    }

    @Test func keepsJFIFFirst() throws {
        let original = Self.jpeg([Self.jfif, Self.comment])
        let out = try #require(updated(ExifDateTime.set(Self.date, in: original, overwrite: false)))
        #expect(ExifReader.app1(out)?.lowerBound == 2 + Self.jfif.count)
        #expect(outsideApp1(out) == original)
    }

    @Test func fillsAnExistingExifIFDAndKeepsItsTags() throws {
        let original = Self.jpeg([Self.exifSegment(exif: true), Self.comment])
        let out = try #require(updated(ExifDateTime.set(Self.date, in: original, overwrite: false)))
        let exif = ExifReader.tags(out, ifd: "exif")
        #expect(exif[0x9003] == Self.date)
        #expect(exif[0x829A] == "7")
        #expect(ExifReader.tags(out, ifd: "0")[0x010F] == "Canon")
        let before = try #require(ExifReader.app1(original)), after = try #require(ExifReader.app1(out))
        #expect(Array(original[..<before.lowerBound]) == Array(out[..<after.lowerBound]))
        #expect(Array(original[before.upperBound...]) == Array(out[after.upperBound...]))
    }

    @Test func addsTheExifPointerWhenIFD0HasNone() throws {
        let original = Self.jpeg([Self.exifSegment(exif: false)])
        let out = try #require(updated(ExifDateTime.set(Self.date, in: original, overwrite: false)))
        #expect(ExifReader.tags(out, ifd: "exif")[0x9003] == Self.date)
        #expect(ExifReader.tags(out, ifd: "0")[0x010F] == "Canon")
    }

    @Test func leavesAnExistingDateUnlessOverwrite() throws {
        let original = Self.jpeg([Self.exifSegment(exif: true, original: "2001:02:03 04:05:06")])
        #expect(ExifDateTime.set(Self.date, in: original, overwrite: false) == .alreadySet)
        let out = try #require(updated(ExifDateTime.set(Self.date, in: original, overwrite: true)))
        #expect(ExifReader.tags(out, ifd: "exif")[0x9003] == Self.date)
    }

    @Test func unexpectedStructuresAreLeftAlone() {
        for bad: [UInt8] in [[0x00, 0x01], [0xFF, 0xD8, 0xFF, 0xE1, 0x40, 0x00, 0x45], [0xFF, 0xD8, 0x12, 0x34],
                              Self.jpeg([Self.segment(0xE1, Array("Exif".utf8) + [0, 0, 0x58, 0x58, 0, 42])])] {
            guard case .unexpected = ExifDateTime.set(Self.date, in: bad, overwrite: false) else {
                Issue.record("accepted \(bad.prefix(12))"); continue
            }
        }
    }
}
