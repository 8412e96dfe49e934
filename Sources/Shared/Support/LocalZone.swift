import Foundation

/// The zone icloudpd converts asset dates into: the machine's local zone (`tzlocal`, honours
/// `TZ`), never the photo's `timeZoneOffset` (icloudpd quirk 8, reproduced: folders are
/// names; docs/references.md#icloudpd-quirks).
public protocol ZoneRule: Sendable {
    /// UTC offset in seconds at `date`.
    func offset(for date: Date) -> Int
    /// `%Z` text at `date` (tz database abbreviation, e.g. `CET`, `PST`, `UTC`, `+04`).
    func abbreviation(for date: Date) -> String
}

/// A fixed offset with a given abbreviation (tests, or `TZ=UTC`).
public struct FixedZone: ZoneRule {
    public var seconds: Int
    public var name: String
    public init(seconds: Int, name: String) { self.seconds = seconds; self.name = name }
    public static let utc = FixedZone(seconds: 0, name: "UTC")
    public func offset(for date: Date) -> Int { seconds }
    public func abbreviation(for date: Date) -> String { name }
}

/// A tz database zone: offsets from Foundation, abbreviations from the TZif file (Foundation
/// on Linux answers `GMT+1` where Python's zoneinfo says `CET`).
public struct SystemZone: ZoneRule {
    public let timeZone: TimeZone
    private let tzif: TZif?

    /// The machine's zone (honours `TZ`, like `tzlocal`).
    public init() {
        var name: String? = nil
        if let tz = ProcessInfo.processInfo.environment["TZ"], !tz.isEmpty {
            name = tz.hasPrefix(":") ? String(tz.dropFirst()) : tz
        }
        self.init(TimeZone.current, zoneinfoName: name, isLocal: true)
    }

    /// A named tz database zone. The TZif file is read under the given name, so `UTC` stays
    /// `UTC` (Foundation maps it to `GMT`).
    public init?(identifier: String) {
        guard let tz = TimeZone(identifier: identifier) else { return nil }
        self.init(tz, zoneinfoName: identifier, isLocal: false)
    }

    public init(_ timeZone: TimeZone, zoneinfoName: String? = nil, isLocal: Bool = false) {
        self.timeZone = timeZone
        var candidates: [String] = []
        if let n = zoneinfoName { candidates.append(n.hasPrefix("/") ? n : "/usr/share/zoneinfo/" + n) }
        candidates.append("/usr/share/zoneinfo/" + timeZone.identifier)
        if isLocal { candidates.append("/etc/localtime") }
        tzif = candidates.lazy.compactMap { TZif(path: $0) }.first
    }

    public func offset(for date: Date) -> Int { timeZone.secondsFromGMT(for: date) }

    public func abbreviation(for date: Date) -> String {
        if let a = tzif?.abbreviation(at: Int64(floor(date.timeIntervalSince1970)),
                                      isDST: timeZone.isDaylightSavingTime(for: date)) { return a }
        return timeZone.abbreviation(for: date) ?? ""
    }
}

/// Minimal TZif reader: transition times, types and abbreviations, plus the POSIX footer names.
struct TZif: Sendable {
    var transitions: [Int64] = []
    var transitionTypes: [Int] = []
    var types: [(offset: Int, isDST: Bool, abbr: String)] = []
    var footerStd: String?
    var footerDST: String?

    init?(path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let b = [UInt8](data)
        guard b.count >= 44, b[0] == 0x54, b[1] == 0x5A, b[2] == 0x69, b[3] == 0x66 else { return nil }
        func u32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        func counts(_ h: Int) -> (isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int) {
            (u32(h + 20), u32(h + 24), u32(h + 28), u32(h + 32), u32(h + 36), u32(h + 40))
        }
        var h = 0
        var timeSize = 4
        let c1 = counts(0)
        if b[4] >= 0x32 {
            let skip = 44 + c1.time * 4 + c1.time + c1.type * 6 + c1.char + c1.leap * 8 + c1.isstd + c1.isut
            guard b.count >= skip + 44 else { return nil }
            h = skip
            timeSize = 8
        }
        let c = counts(h)
        var p = h + 44
        let need = c.time * timeSize + c.time + c.type * 6 + c.char
        guard b.count >= p + need else { return nil }
        for i in 0..<c.time {
            var v: Int64 = 0
            for k in 0..<timeSize { v = v << 8 | Int64(b[p + i * timeSize + k]) }
            if timeSize == 4 { v = Int64(Int32(truncatingIfNeeded: v)) }
            transitions.append(v)
        }
        p += c.time * timeSize
        for i in 0..<c.time { transitionTypes.append(Int(b[p + i])) }
        p += c.time
        let charStart = p + c.type * 6
        for i in 0..<c.type {
            let q = p + i * 6
            let off = Int(Int32(bitPattern: UInt32(u32(q))))
            let idx = Int(b[q + 5])
            var e = charStart + idx
            while e < charStart + c.char && b[e] != 0 { e += 1 }
            let abbr = String(decoding: b[min(charStart + idx, e)..<e], as: UTF8.self)
            types.append((off, b[q + 4] != 0, abbr))
        }
        if timeSize == 8 {
            var f = charStart + c.char + c.leap * 12 + c.isstd + c.isut
            if f < b.count && b[f] == 0x0A {
                f += 1
                var e = f
                while e < b.count && b[e] != 0x0A { e += 1 }
                let footer = String(decoding: b[f..<e], as: UTF8.self)
                (footerStd, footerDST) = TZif.posixNames(footer)
            }
        }
    }

    /// Std and DST names of a POSIX TZ string (`CET-1CEST,M3.5.0,M10.5.0/3`, `<+04>-4`).
    static func posixNames(_ s: String) -> (String?, String?) {
        var chars = Array(s.unicodeScalars)[...]
        func name() -> String? {
            if chars.first == "<" {
                guard let end = chars.firstIndex(of: ">") else { return nil }
                let n = String(String.UnicodeScalarView(chars[(chars.startIndex + 1)..<end]))
                chars = chars[(end + 1)...]
                return n
            }
            var n = String.UnicodeScalarView()
            while let c = chars.first, (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") { n.append(c); chars.removeFirst() }
            return n.isEmpty ? nil : String(n)
        }
        guard let std = name() else { return (nil, nil) }
        while let c = chars.first, "+-0123456789:".unicodeScalars.contains(c) { chars.removeFirst() }
        return (std, name())
    }

    func abbreviation(at t: Int64, isDST: Bool) -> String? {
        if let last = transitions.last, t >= last, footerStd != nil {
            return isDST ? (footerDST ?? footerStd) : footerStd
        }
        var idx: Int?
        if let i = transitions.lastIndex(where: { $0 <= t }) { idx = transitionTypes[i] }
        if idx == nil { idx = types.firstIndex(where: { !$0.isDST }) ?? (types.isEmpty ? nil : 0) }
        guard let i = idx, i < types.count else { return footerStd }
        return types[i].abbr
    }
}
