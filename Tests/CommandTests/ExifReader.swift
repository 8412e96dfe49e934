import Foundation
import Shared

/// Reads EXIF back independently of the editor: APP1 "Exif\0\0" → TIFF → IFD0 → 0x8769 → tags.
enum ExifReader {
    static func app1(_ jpeg: [UInt8]) -> Range<Int>? {
        var at = 2
        while at + 4 <= jpeg.count, jpeg[at] == 0xFF, jpeg[at + 1] != 0xDA {
            let length = Int(jpeg[at + 2]) << 8 | Int(jpeg[at + 3])
            if jpeg[at + 1] == 0xE1, Array(jpeg[(at + 4)..<(at + 10)]) == Array("Exif".utf8) + [0, 0] { return at..<(at + 2 + length) }
            at += 2 + length
        }
        return nil
    }

    static func tags(_ jpeg: [UInt8], ifd: String) -> [UInt16: String] {
        guard let r = app1(jpeg) else { return [:] }
        let t = Array(jpeg[(r.lowerBound + 10)..<r.upperBound])
        let little = t[0] == 0x49
        func u16(_ a: Int) -> Int { little ? Int(t[a]) | Int(t[a + 1]) << 8 : Int(t[a]) << 8 | Int(t[a + 1]) }
        func u32(_ a: Int) -> Int { little ? u16(a) | u16(a + 2) << 16 : u16(a) << 16 | u16(a + 2) }
        func read(_ offset: Int) -> [UInt16: String] {
            var out: [UInt16: String] = [:]
            for i in 0..<u16(offset) {
                let e = offset + 2 + i * 12
                let tag = UInt16(u16(e)), type = u16(e + 2), count = u32(e + 4)
                if type == 2 {
                    let at = count <= 4 ? e + 8 : u32(e + 8)
                    out[tag] = String(decoding: t[at..<(at + count)].prefix { $0 != 0 }, as: UTF8.self)
                } else {
                    out[tag] = String(u32(e + 8))
                }
            }
            return out
        }
        let ifd0 = read(u32(4))
        if ifd == "0" { return ifd0 }
        guard let pointer = ifd0[0x8769].flatMap({ Int($0) }) else { return [:] }
        return read(pointer)
    }
}
