import Foundation

/// `--folder-structure`: `none` (any case) or a Python `str.format` template applied to the
/// asset date in the local zone (docs/references.md#icloudpd-naming, quirk 21), e.g. `{:%Y/%m/%d}`.
public struct FolderStructure: Sendable, Equatable {
    public var template: String

    public static let `default` = FolderStructure(template: "{:%Y/%m/%d}")

    public init(template: String) { self.template = template }

    public var isNone: Bool { template.lowercased() == "none" }

    /// Start-up validation (icloudpd formats `datetime.now()`): nil when valid, else the
    /// message `Format <value> specified in --folder-structure is incorrect`.
    public func validationError() -> String? {
        if isNone { return nil }
        let now = LocalDateTime(date: Date(), zone: FixedZone.utc)
        if (try? PythonFormat.format(template, now)) == nil {
            return "Format \(template) specified in --folder-structure is incorrect"
        }
        return nil
    }

    /// The date path: "" for `none`, else the formatted template.
    public func datePath(for date: Date, zone: any ZoneRule) throws -> String {
        if isNone { return "" }
        return try PythonFormat.format(template, LocalDateTime(date: date, zone: zone))
    }

    /// `normpath(join(directory, date_path))`.
    public func directory(root: String, date: Date, zone: any ZoneRule) throws -> String {
        PythonPath.normpath(PythonPath.join(root, try datePath(for: date, zone: zone)))
    }
}

/// Python `str.format` with one positional argument, a `datetime`: literal text, `{{`/`}}`,
/// `{}`/`{0}` fields, attribute access (`{.year}`, `{0.month}`), and format specs (strftime
/// for the datetime, the integer mini-language for attributes).
public enum PythonFormat {
    public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public static func format(_ template: String, _ t: LocalDateTime) throws -> String {
        let s = Array(template.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        var autoIndex = 0
        var usedManual = false, usedAuto = false
        while i < s.count {
            let c = s[i]
            if c == "}" {
                if i + 1 < s.count, s[i + 1] == "}" { out.append("}"); i += 2; continue }
                throw FormatError(description: "Single '}' encountered in format string")
            }
            if c != "{" { out.append(c); i += 1; continue }
            if i + 1 < s.count, s[i + 1] == "{" { out.append("{"); i += 2; continue }
            // Field up to the matching '}' (nested braces count).
            var depth = 1
            var j = i + 1
            while j < s.count {
                if s[j] == "{" { depth += 1 } else if s[j] == "}" { depth -= 1; if depth == 0 { break } }
                j += 1
            }
            guard j < s.count else { throw FormatError(description: "expected '}' before end of string") }
            let field = String(String.UnicodeScalarView(s[(i + 1)..<j]))
            i = j + 1

            var name = field
            var spec = ""
            var conversion: String? = nil
            if let colon = field.firstIndex(of: ":") {
                // The field name ends at the first ':' or '!' outside brackets; simple names only.
                name = String(field[..<colon]); spec = String(field[field.index(after: colon)...])
            }
            if let bang = name.firstIndex(of: "!") {
                conversion = String(name[name.index(after: bang)...]); name = String(name[..<bang])
            }
            if spec.contains("{") { throw FormatError(description: "nested format fields are not supported") }

            // arg_name then .attr chain
            let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let arg = parts[0]
            if arg.isEmpty {
                if usedManual { throw FormatError(description: "cannot switch from manual field specification to automatic field numbering") }
                usedAuto = true
                if autoIndex != 0 { throw FormatError(description: "Replacement index \(autoIndex) out of range for positional args tuple") }
                autoIndex += 1
            } else if let n = Int(arg), arg.unicodeScalars.allSatisfy({ $0.isASCII }) {
                if usedAuto { throw FormatError(description: "cannot switch from automatic field numbering to manual field specification") }
                usedManual = true
                if n != 0 { throw FormatError(description: "Replacement index \(n) out of range for positional args tuple") }
            } else {
                throw FormatError(description: "KeyError: '\(arg)'")
            }
            if arg.contains("[") || name.contains("[") { throw FormatError(description: "indexing is not supported") }

            let attrs = Array(parts.dropFirst())
            var text: String
            if attrs.isEmpty {
                if let conversion {
                    guard conversion == "s" else { throw FormatError(description: "conversion !\(conversion) is not supported") }
                    text = try formatString(t.pythonString, spec)
                } else {
                    text = spec.isEmpty ? t.pythonString : Strftime.format(spec, t)
                }
            } else {
                guard attrs.count == 1 else { throw FormatError(description: "AttributeError: '\(attrs[1])'") }
                let v: Int
                switch attrs[0] {
                case "year": v = t.year
                case "month": v = t.month
                case "day": v = t.day
                case "hour": v = t.hour
                case "minute": v = t.minute
                case "second": v = t.second
                case "microsecond": v = t.microsecond
                case "fold": v = 0
                default: throw FormatError(description: "AttributeError: 'datetime.datetime' object has no attribute '\(attrs[0])'")
                }
                if let conversion {
                    guard conversion == "s" || conversion == "r" else { throw FormatError(description: "conversion !\(conversion) is not supported") }
                    text = try formatString(String(v), spec)
                } else {
                    text = try formatInt(v, spec)
                }
            }
            out.append(contentsOf: text.unicodeScalars)
        }
        return String(out)
    }

    struct Spec {
        var fill: Unicode.Scalar = " "
        var align: Unicode.Scalar? = nil
        var sign: Unicode.Scalar = "-"
        var zero = false
        var width = 0
        var type: Unicode.Scalar? = nil
    }

    static func parseSpec(_ spec: String) throws -> Spec {
        var s = Array(spec.unicodeScalars)[...]
        var r = Spec()
        let aligns: Set<Unicode.Scalar> = ["<", ">", "^", "="]
        if s.count >= 2, aligns.contains(s[s.startIndex + 1]) {
            r.fill = s.removeFirst(); r.align = s.removeFirst()
        } else if let f = s.first, aligns.contains(f) { r.align = s.removeFirst() }
        if let f = s.first, f == "+" || f == "-" || f == " " { r.sign = s.removeFirst() }
        if s.first == "0" { r.zero = true; s.removeFirst() }
        var w = ""
        while let f = s.first, f.isASCII, f.properties.numericType != nil { w.unicodeScalars.append(s.removeFirst()) }
        r.width = Int(w) ?? 0
        if let f = s.first { r.type = f; s.removeFirst() }
        guard s.isEmpty else { throw FormatError(description: "Invalid format specifier '\(spec)'") }
        return r
    }

    static func formatInt(_ v: Int, _ spec: String) throws -> String {
        let p = try parseSpec(spec)
        var digits: String
        switch p.type {
        case nil, "d", "n": digits = String(abs(v))
        case "x": digits = String(abs(v), radix: 16)
        case "X": digits = String(abs(v), radix: 16).uppercased()
        case "o": digits = String(abs(v), radix: 8)
        case "b": digits = String(abs(v), radix: 2)
        default: throw FormatError(description: "Unknown format code '\(p.type!)' for object of type 'int'")
        }
        let sign = v < 0 ? "-" : (p.sign == "+" ? "+" : (p.sign == " " ? " " : ""))
        var align = p.align
        var fill = p.fill
        if p.zero && align == nil { align = "="; fill = "0" }
        let len = sign.count + digits.count
        guard p.width > len else { return sign + digits }
        let padding = String(repeating: Character(fill), count: p.width - len)
        switch align ?? ">" {
        case "<": return sign + digits + padding
        case "^":
            let left = (p.width - len) / 2
            return String(repeating: Character(fill), count: left) + sign + digits
                + String(repeating: Character(fill), count: p.width - len - left)
        case "=": return sign + padding + digits
        default: return padding + sign + digits
        }
    }

    static func formatString(_ v: String, _ spec: String) throws -> String {
        let p = try parseSpec(spec)
        guard p.type == nil || p.type == "s" else { throw FormatError(description: "Unknown format code for str") }
        let n = v.unicodeScalars.count
        guard p.width > n else { return v }
        let fill = Character(p.zero && p.align == nil ? "0" : p.fill)
        let pad = p.width - n
        switch p.align ?? "<" {
        case ">": return String(repeating: fill, count: pad) + v
        case "^": return String(repeating: fill, count: pad / 2) + v + String(repeating: fill, count: pad - pad / 2)
        default: return v + String(repeating: fill, count: pad)
        }
    }
}
