/// Python `posixpath` string semantics that icloudpd's names depend on. All functions work on
/// bytes of UTF-8 split at ASCII `/` and `.`, so they never merge or reorder code points
/// (Swift `String` comparison would use canonical equivalence; Python's does not).
public enum PythonPath {
    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    private static func str(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }

    /// `os.path.splitext`: the extension starts at the last dot of the last path component,
    /// unless everything before that dot in the component is dots (`.jpg` has no extension).
    public static func splitext(_ p: String) -> (root: String, ext: String) {
        let b = Array(p.utf8)
        let sepIndex = b.lastIndex(of: slash) ?? -1
        guard let dotIndex = b.lastIndex(of: dot), dotIndex > sepIndex else { return (p, "") }
        var i = sepIndex + 1
        while i < dotIndex {
            if b[i] != dot { return (str(b[..<dotIndex]), str(b[dotIndex...])) }
            i += 1
        }
        return (p, "")
    }

    /// `add_suffix_to_filename(suffix, name)` = stem + suffix + ext.
    public static func addSuffix(_ suffix: String, to name: String) -> String {
        let (root, ext) = splitext(name)
        return root + suffix + ext
    }

    /// `os.path.join(a, b)` for two components.
    public static func join(_ a: String, _ b: String) -> String {
        if b.utf8.first == slash { return b }
        if a.isEmpty || a.utf8.last == slash { return a + b }
        return a + "/" + b
    }

    /// `os.path.normpath` (POSIX).
    public static func normpath(_ path: String) -> String {
        if path.isEmpty { return "." }
        let b = Array(path.utf8)
        var initial = 0
        while initial < b.count && b[initial] == slash { initial += 1 }
        // POSIX allows one or two initial slashes, three or more collapse to one.
        let prefix = initial == 0 ? "" : (initial == 2 ? "//" : "/")
        var comps: [String] = []
        for c in b.split(separator: slash, omittingEmptySubsequences: true) {
            let s = str(c)
            if s == "." { continue }
            if s == ".." {
                if (prefix.isEmpty && comps.isEmpty) || comps.last == ".." {
                    comps.append(s)
                } else if !comps.isEmpty {
                    comps.removeLast()
                }
                continue
            }
            comps.append(s)
        }
        let out = prefix + comps.joined(separator: "/")
        return out.isEmpty ? "." : out
    }

    /// `("-" + str(size) + ".").join(path.rsplit(".", 1))`: icloudpd's dedup name, applied to the
    /// **whole path** (icloudpd quirk 22). A path without any dot is returned unchanged.
    public static func dedupPath(_ path: String, size: Int64) -> String {
        let b = Array(path.utf8)
        guard let i = b.lastIndex(of: dot) else { return path }
        return str(b[..<i]) + "-\(size)." + str(b[(i + 1)...])
    }

    /// Python `str.endswith` (code points, no normalisation).
    public static func endsWith(_ s: String, _ suffix: String) -> Bool {
        let a = Array(s.utf8), b = Array(suffix.utf8)
        return a.count >= b.count && a[(a.count - b.count)...].elementsEqual(b)
    }

    /// Byte-wise equality (Python `==` on code points; no Unicode normalisation).
    public static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
}
