/// The TIFF side of `ExifDateTime`: reads IFDs in either byte order and appends rewritten
/// IFDs at the end, leaving every existing byte where it was (so existing offsets stay valid).
enum TIFFEdit {
    enum Outcome { case updated([UInt8]), alreadySet, unexpected(String) }

    struct Entry { var tag: UInt16; var type: UInt16; var count: UInt32; var value: [UInt8] }  // value: the 4 raw bytes

    struct Order {
        var little: Bool
        func u16(_ b: [UInt8], _ at: Int) -> UInt16? {
            guard at >= 0, at + 2 <= b.count else { return nil }
            return little ? UInt16(b[at]) | UInt16(b[at + 1]) << 8 : UInt16(b[at]) << 8 | UInt16(b[at + 1])
        }
        func u32(_ b: [UInt8], _ at: Int) -> UInt32? {
            guard at >= 0, at + 4 <= b.count else { return nil }
            let v = (0..<4).map { UInt32(b[at + $0]) }
            return little ? v[0] | v[1] << 8 | v[2] << 16 | v[3] << 24 : v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]
        }
        func bytes16(_ v: UInt16) -> [UInt8] { little ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func bytes32(_ v: UInt32) -> [UInt8] {
            let b = [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
            return little ? b.reversed() : b
        }
    }

    /// A big-endian TIFF with IFD0 → Exif IFD holding the two dates (for files without EXIF).
    static func fresh(_ value: [UInt8]) -> [UInt8] {
        let o = Order(little: false)
        var out: [UInt8] = Array("MM".utf8) + o.bytes16(42) + o.bytes32(8)
        // IFD0 at 8: one entry, the Exif pointer; Exif IFD at 8 + 2 + 12 + 4 = 26.
        out += o.bytes16(1) + o.bytes16(ExifDateTime.exifPointer) + o.bytes16(4) + o.bytes32(1) + o.bytes32(26) + o.bytes32(0)
        // Exif IFD: two ASCII entries whose values follow it at 26 + 2 + 24 + 4 = 56 and 76.
        out += o.bytes16(2)
        out += o.bytes16(ExifDateTime.dateTimeOriginal) + o.bytes16(ExifDateTime.ascii) + o.bytes32(20) + o.bytes32(56)
        out += o.bytes16(ExifDateTime.dateTimeDigitized) + o.bytes16(ExifDateTime.ascii) + o.bytes32(20) + o.bytes32(76)
        out += o.bytes32(0) + value + value
        return out
    }

    static func readIFD(_ tiff: [UInt8], at offset: Int, _ o: Order) -> (entries: [Entry], next: UInt32)? {
        guard let n = o.u16(tiff, offset), n > 0, n < 1000 else { return nil }
        var entries: [Entry] = []
        for i in 0..<Int(n) {
            let e = offset + 2 + i * 12
            guard let tag = o.u16(tiff, e), let type = o.u16(tiff, e + 2), let count = o.u32(tiff, e + 4), e + 12 <= tiff.count else { return nil }
            entries.append(Entry(tag: tag, type: type, count: count, value: Array(tiff[(e + 8)..<(e + 12)])))
        }
        guard let next = o.u32(tiff, offset + 2 + Int(n) * 12) else { return nil }
        return (entries, next)
    }

    /// Appends `entries` (sorted by tag, as TIFF requires) as a new IFD at the end of `tiff`,
    /// word-aligned; returns its offset.
    static func appendIFD(_ entries: [Entry], next: UInt32, to tiff: inout [UInt8], _ o: Order) -> UInt32 {
        if tiff.count % 2 == 1 { tiff.append(0) }
        let at = UInt32(tiff.count)
        tiff += o.bytes16(UInt16(entries.count))
        for e in entries.sorted(by: { $0.tag < $1.tag }) { tiff += o.bytes16(e.tag) + o.bytes16(e.type) + o.bytes32(e.count) + e.value }
        tiff += o.bytes32(next)
        return at
    }

    /// A readable date: ASCII, at least 19 characters, at a valid offset.
    static func readable(_ entry: Entry, in tiff: [UInt8], _ o: Order) -> Bool {
        guard entry.type == ExifDateTime.ascii, entry.count >= 19, let at = o.u32(entry.value, 0) else { return false }
        return Int(at) + 19 <= tiff.count
    }

    static func settingDates(_ value: [UInt8], in original: [UInt8], overwrite: Bool) -> Outcome {
        var tiff = original
        guard tiff.count >= 8 else { return .unexpected("short TIFF header") }
        let o: Order
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): o = Order(little: true)
        case (0x4D, 0x4D): o = Order(little: false)
        default: return .unexpected("bad TIFF byte order")
        }
        guard o.u16(tiff, 2) == 42, let ifd0Offset = o.u32(tiff, 4), let ifd0 = readIFD(tiff, at: Int(ifd0Offset), o) else {
            return .unexpected("bad IFD0")
        }
        var exifEntries: [Entry] = []
        let pointerIndex = ifd0.entries.firstIndex { $0.tag == ExifDateTime.exifPointer }
        if let pointerIndex {
            guard let exifOffset = o.u32(ifd0.entries[pointerIndex].value, 0),
                  let exif = readIFD(tiff, at: Int(exifOffset), o) else { return .unexpected("bad Exif IFD") }
            exifEntries = exif.entries
        }
        if !overwrite, let existing = exifEntries.first(where: { $0.tag == ExifDateTime.dateTimeOriginal }),
           readable(existing, in: tiff, o) {
            return .alreadySet
        }
        // Values first (after the current end), then the new Exif IFD pointing at them.
        func appendValue() -> [UInt8] {
            if tiff.count % 2 == 1 { tiff.append(0) }
            let at = UInt32(tiff.count)
            tiff += value
            return o.bytes32(at)
        }
        exifEntries.removeAll { $0.tag == ExifDateTime.dateTimeOriginal }
        exifEntries.append(Entry(tag: ExifDateTime.dateTimeOriginal, type: ExifDateTime.ascii, count: 20, value: appendValue()))
        if !exifEntries.contains(where: { $0.tag == ExifDateTime.dateTimeDigitized }) {
            exifEntries.append(Entry(tag: ExifDateTime.dateTimeDigitized, type: ExifDateTime.ascii, count: 20, value: appendValue()))
        }
        let exifAt = appendIFD(exifEntries, next: 0, to: &tiff, o)
        if let pointerIndex {
            // The pointer's value lives in IFD0's entry: patch those 4 bytes in place.
            let valueAt = Int(ifd0Offset) + 2 + pointerIndex * 12 + 8
            tiff.replaceSubrange(valueAt..<(valueAt + 4), with: o.bytes32(exifAt))
        } else {
            var entries = ifd0.entries
            entries.append(Entry(tag: ExifDateTime.exifPointer, type: 4, count: 1, value: o.bytes32(exifAt)))
            let ifd0At = appendIFD(entries, next: ifd0.next, to: &tiff, o)
            tiff.replaceSubrange(4..<8, with: o.bytes32(ifd0At))
        }
        return .updated(tiff)
    }
}
