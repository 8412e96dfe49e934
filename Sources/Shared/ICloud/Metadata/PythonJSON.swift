/// A JSON value as CPython's `json.loads(bytes)` gives it, for icloudpd's XMP orientation
/// (`AdjustmentOrientation`): what the Python code can observe of it — `in`, `[key]`,
/// truthiness and `str()` — comes out the same here. Hence not Foundation's JSONSerialization:
/// it does not keep `6` apart from `6.0` (Python writes `6` and `6.0`), rejects `NaN`, and
/// Swift strings cannot hold the lone surrogates Python's decoder lets through.
///
/// Text is a list of code points (`[UInt32]`), lone surrogates included.
enum PythonJSON: Equatable {
    case none
    case bool(Bool)
    /// Canonical decimal digits (`-0` is `0`); Python ints have any size up to 4300 digits.
    case int(String)
    case float(Double)
    case string([UInt32])
    case list([PythonJSON])
    /// In first-insertion order; a repeated key keeps its place and takes the last value (dict).
    case dict(keys: [[UInt32]], values: [PythonJSON])

    struct Failure: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    // MARK: json.loads(bytes)

    /// `json.loads(bytes)`: the encoding detected as `json.detect_encoding` does, decoded with
    /// `surrogatepass`, then parsed as the C scanner does (strict: no control characters in
    /// strings; `NaN`, `Infinity`, `-Infinity` accepted; no trailing commas; nothing after the
    /// value but whitespace).
    static func loads(_ bytes: [UInt8]) throws(Failure) -> PythonJSON {
        var parser = Parser(text: try decodeText(bytes))
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.at == parser.text.count else { throw Failure("Extra data at \(parser.at)") }
        return value
    }

    /// `json.detect_encoding` and `bytes.decode(encoding, "surrogatepass")`.
    static func decodeText(_ b: [UInt8]) throws(Failure) -> [UInt32] {
        if b.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return try utf32(b.dropFirst(4), bigEndian: true) }
        if b.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return try utf32(b.dropFirst(4), bigEndian: false) }
        if b.starts(with: [0xFE, 0xFF]) { return try utf16(b.dropFirst(2), bigEndian: true) }
        if b.starts(with: [0xFF, 0xFE]) { return try utf16(b.dropFirst(2), bigEndian: false) }
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { return try utf8(b.dropFirst(3)) }
        if b.count >= 4 {
            if b[0] == 0 { return b[1] != 0 ? try utf16(b[...], bigEndian: true) : try utf32(b[...], bigEndian: true) }
            if b[1] == 0 { return b[2] != 0 || b[3] != 0 ? try utf16(b[...], bigEndian: false) : try utf32(b[...], bigEndian: false) }
        } else if b.count == 2 {
            if b[0] == 0 { return try utf16(b[...], bigEndian: true) }
            if b[1] == 0 { return try utf16(b[...], bigEndian: false) }
        }
        return try utf8(b[...])
    }

    /// Strict UTF-8, except that encoded surrogates (ED A0–BF xx) pass.
    static func utf8(_ b: ArraySlice<UInt8>) throws(Failure) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(b.count)
        var i = b.startIndex
        func continuation(_ at: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) throws(Failure) -> UInt32 {
            guard at < b.endIndex, b[at] >= low, b[at] <= high else { throw Failure("invalid utf-8 at \(at)") }
            return UInt32(b[at] & 0x3F)
        }
        while i < b.endIndex {
            let lead = b[i]
            switch lead {
            case 0x00...0x7F:
                out.append(UInt32(lead)); i += 1
            case 0xC2...0xDF:
                out.append(UInt32(lead & 0x1F) << 6 | (try continuation(i + 1))); i += 2
            case 0xE0...0xEF:
                let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
                let c1 = try continuation(i + 1, low), c2 = try continuation(i + 2)
                out.append(UInt32(lead & 0x0F) << 12 | c1 << 6 | c2); i += 3
            case 0xF0...0xF4:
                let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80, high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
                let c1 = try continuation(i + 1, low, high), c2 = try continuation(i + 2), c3 = try continuation(i + 3)
                out.append(UInt32(lead & 0x07) << 18 | c1 << 12 | c2 << 6 | c3); i += 4
            default:
                throw Failure("invalid utf-8 start byte at \(i)")
            }
        }
        return out
    }

    static func utf16(_ b: ArraySlice<UInt8>, bigEndian: Bool) throws(Failure) -> [UInt32] {
        guard b.count % 2 == 0 else { throw Failure("truncated utf-16 data") }
        var units: [UInt32] = []
        var i = b.startIndex
        while i < b.endIndex {
            units.append(bigEndian ? UInt32(b[i]) << 8 | UInt32(b[i + 1]) : UInt32(b[i + 1]) << 8 | UInt32(b[i]))
            i += 2
        }
        var out: [UInt32] = []
        var k = 0
        while k < units.count {
            let u = units[k]
            if (0xD800...0xDBFF).contains(u), k + 1 < units.count, (0xDC00...0xDFFF).contains(units[k + 1]) {
                out.append(0x10000 + ((u - 0xD800) << 10) + (units[k + 1] - 0xDC00)); k += 2
            } else {
                out.append(u); k += 1
            }
        }
        return out
    }

    static func utf32(_ b: ArraySlice<UInt8>, bigEndian: Bool) throws(Failure) -> [UInt32] {
        guard b.count % 4 == 0 else { throw Failure("truncated utf-32 data") }
        var out: [UInt32] = []
        var i = b.startIndex
        while i < b.endIndex {
            let bytes = (0..<4).map { UInt32(b[i + $0]) }
            let v = bigEndian ? bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]
                : bytes[3] << 24 | bytes[2] << 16 | bytes[1] << 8 | bytes[0]
            guard v <= 0x10FFFF else { throw Failure("code point not in range(0x110000)") }
            out.append(v); i += 4
        }
        return out
    }

    struct Parser {
        let text: [UInt32]
        var at = 0

        /// Deeper nesting fails, as CPython's recursion limit makes the C scanner fail (its
        /// exact limit depends on the Python build; no adjustment JSON comes near it).
        static let maximumDepth = 1000

        func peek(_ offset: Int = 0) -> UInt32? { at + offset < text.count ? text[at + offset] : nil }

        mutating func skipWhitespace() {
            while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { at += 1 }
        }

        mutating func literal(_ word: String) -> Bool {
            let scalars = word.unicodeScalars.map(\.value)
            guard at + scalars.count <= text.count, Array(text[at..<(at + scalars.count)]) == scalars else { return false }
            at += scalars.count
            return true
        }

        mutating func value(depth: Int) throws(Failure) -> PythonJSON {
            guard let c = peek() else { throw Failure("Expecting value at \(at)") }
            switch c {
            case 0x22: at += 1; return .string(try string())
            case 0x7B: return try object(depth: depth + 1)
            case 0x5B: return try array(depth: depth + 1)
            default: break
            }
            if literal("null") { return .none }
            if literal("true") { return .bool(true) }
            if literal("false") { return .bool(false) }
            if literal("NaN") { return .float(.nan) }
            if literal("Infinity") { return .float(.infinity) }
            if literal("-Infinity") { return .float(-.infinity) }
            return try number()
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`: an int without fraction and exponent.
        mutating func number() throws(Failure) -> PythonJSON {
            let start = at
            func isDigit(_ c: UInt32?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
            if peek() == 0x2D { at += 1 }
            guard let first = peek(), isDigit(first) else { at = start; throw Failure("Expecting value at \(start)") }
            at += 1
            if first != 0x30 { while isDigit(peek()) { at += 1 } }
            let integerEnd = at
            var isFloat = false
            if peek() == 0x2E, isDigit(peek(1)) {
                isFloat = true
                at += 2
                while isDigit(peek()) { at += 1 }
            }
            if let e = peek(), e == 0x65 || e == 0x45 {
                let exponentStart = at
                at += 1
                if let sign = peek(), sign == 0x2B || sign == 0x2D { at += 1 }
                let digitsStart = at
                while isDigit(peek()) { at += 1 }
                if at > digitsStart { isFloat = true } else { at = exponentStart }
            }
            let literal = String(decoding: text[start..<at].map { UInt8($0) }, as: UTF8.self)
            if isFloat {
                guard let d = Double(literal) else { throw Failure("bad float \(literal)") }
                return .float(d)
            }
            let digits = literal.hasPrefix("-") ? literal.dropFirst() : Substring(literal)
            // CPython refuses int strings longer than sys.get_int_max_str_digits() (4300).
            guard integerEnd - start - (literal.hasPrefix("-") ? 1 : 0) <= 4300 else {
                throw Failure("Exceeds the limit (4300 digits) for integer string conversion")
            }
            return .int(digits == "0" ? "0" : literal)
        }

        /// After the opening quote, to and past the closing one.
        mutating func string() throws(Failure) -> [UInt32] {
            var out: [UInt32] = []
            while true {
                guard let c = peek() else { throw Failure("Unterminated string") }
                at += 1
                if c == 0x22 { return out }
                if c < 0x20 { throw Failure("Invalid control character at \(at - 1)") }
                if c != 0x5C { out.append(c); continue }
                guard let e = peek() else { throw Failure("Unterminated string") }
                at += 1
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    var u = try hex4()
                    // A high surrogate followed by an escaped low one is one code point.
                    if (0xD800...0xDBFF).contains(u), peek() == 0x5C, peek(1) == 0x75 {
                        let save = at
                        at += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            at = save
                        }
                    }
                    out.append(u)
                default: throw Failure("Invalid \\escape at \(at - 2)")
                }
            }
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard let c = peek() else { throw Failure("Invalid \\uXXXX escape") }
                let digit: UInt32
                switch c {
                case 0x30...0x39: digit = c - 0x30
                case 0x41...0x46: digit = c - 0x41 + 10
                case 0x61...0x66: digit = c - 0x61 + 10
                default: throw Failure("Invalid \\uXXXX escape")
                }
                v = v << 4 | digit
                at += 1
            }
            return v
        }

        mutating func object(depth: Int) throws(Failure) -> PythonJSON {
            guard depth <= Self.maximumDepth else { throw Failure("maximum recursion depth exceeded") }
            at += 1
            var keys: [[UInt32]] = [], values: [PythonJSON] = []
            var index: [[UInt32]: Int] = [:]
            skipWhitespace()
            if peek() == 0x7D { at += 1; return .dict(keys: keys, values: values) }
            while true {
                guard peek() == 0x22 else { throw Failure("Expecting property name enclosed in double quotes at \(at)") }
                at += 1
                let key = try string()
                skipWhitespace()
                guard peek() == 0x3A else { throw Failure("Expecting ':' delimiter at \(at)") }
                at += 1
                skipWhitespace()
                let item = try value(depth: depth)
                if let existing = index[key] {
                    values[existing] = item
                } else {
                    index[key] = keys.count
                    keys.append(key)
                    values.append(item)
                }
                skipWhitespace()
                guard let c = peek() else { throw Failure("Expecting ',' delimiter at \(at)") }
                at += 1
                if c == 0x7D { return .dict(keys: keys, values: values) }
                guard c == 0x2C else { throw Failure("Expecting ',' delimiter at \(at - 1)") }
                skipWhitespace()
            }
        }

        mutating func array(depth: Int) throws(Failure) -> PythonJSON {
            guard depth <= Self.maximumDepth else { throw Failure("maximum recursion depth exceeded") }
            at += 1
            var items: [PythonJSON] = []
            skipWhitespace()
            if peek() == 0x5D { at += 1; return .list(items) }
            while true {
                items.append(try value(depth: depth))
                skipWhitespace()
                guard let c = peek() else { throw Failure("Expecting ',' delimiter at \(at)") }
                at += 1
                if c == 0x5D { return .list(items) }
                guard c == 0x2C else { throw Failure("Expecting ',' delimiter at \(at - 1)") }
                skipWhitespace()
            }
        }
    }

    // MARK: what Python does with the value

    /// `bool(value)`.
    var isTruthy: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let digits): return digits != "0"
        case .float(let d): return d != 0  // nan is true
        case .string(let s): return !s.isEmpty
        case .list(let items): return !items.isEmpty
        case .dict(let keys, _): return !keys.isEmpty
        }
    }

    enum Membership: Equatable {
        case absent
        case value(PythonJSON)
        /// `key in x` is true but `x[key]` raises (a list holding the string, a string holding
        /// it), or `key in x` itself raises (numbers, booleans, None).
        case typeError(String)
    }

    /// `key in self` and then `self[key]`, as icloudpd evaluates
    /// `if "metadata" in adjustments and "orientation" in adjustments["metadata"]`.
    func member(_ key: String) -> Membership {
        let k = key.unicodeScalars.map(\.value)
        switch self {
        case .dict(let keys, let values):
            guard let i = keys.firstIndex(of: k) else { return .absent }
            return .value(values[i])
        case .list(let items):
            return items.contains(.string(k)) ? .typeError("list indices must be integers or slices, not str") : .absent
        case .string(let s):
            return Self.contains(s, k) ? .typeError("string indices must be integers, not 'str'") : .absent
        case .none: return .typeError("argument of type 'NoneType' is not iterable")
        case .bool: return .typeError("argument of type 'bool' is not iterable")
        case .int: return .typeError("argument of type 'int' is not iterable")
        case .float: return .typeError("argument of type 'float' is not iterable")
        }
    }

    static func contains(_ haystack: [UInt32], _ needle: [UInt32]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }

    /// `str(value)`.
    var str: [UInt32] {
        if case .string(let s) = self { return s }
        return repr
    }

    /// `repr(value)`: how a value inside a list or dict is written.
    var repr: [UInt32] {
        func ascii(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }
        switch self {
        case .none: return ascii("None")
        case .bool(let b): return ascii(b ? "True" : "False")
        case .int(let digits): return ascii(digits)
        case .float(let d): return ascii(XMPSidecar.pythonFloat(d))
        case .string(let s): return Self.repr(s)
        case .list(let items):
            return ascii("[") + items.map(\.repr).joined(separator: ascii(", ")) + ascii("]")
        case .dict(let keys, let values):
            let entries = zip(keys, values).map { Self.repr($0.0) + ascii(": ") + $0.1.repr }
            return ascii("{") + entries.joined(separator: ascii(", ")) + ascii("}")
        }
    }

    /// `repr(str)`: single quotes unless the text has a single quote and no double one;
    /// backslash escapes for the quote, backslash, tab, newline, return, other control
    /// characters and non-printable code points (`\xhh`, `\uhhhh`, `\Uhhhhhhhh`).
    static func repr(_ s: [UInt32]) -> [UInt32] {
        let quote: UInt32 = s.contains(0x27) && !s.contains(0x22) ? 0x22 : 0x27
        func hex(_ v: UInt32, _ width: Int) -> [UInt32] {
            let digits = String(v, radix: 16)
            return (String(repeating: "0", count: max(0, width - digits.count)) + digits).unicodeScalars.map(\.value)
        }
        var out: [UInt32] = [quote]
        for c in s {
            switch c {
            case quote, 0x5C: out += [0x5C, c]
            case 0x09: out += [0x5C, 0x74]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0..<0x20, 0x7F: out += [0x5C, 0x78] + hex(c, 2)
            case 0x20..<0x7F: out.append(c)
            default:
                if isPrintable(c) { out.append(c) }
                else if c <= 0xFF { out += [0x5C, 0x78] + hex(c, 2) }
                else if c <= 0xFFFF { out += [0x5C, 0x75] + hex(c, 4) }
                else { out += [0x5C, 0x55] + hex(c, 8) }
            }
        }
        out.append(quote)
        return out
    }

    /// `str.isprintable()` for a non-ASCII code point: not a control, format, surrogate,
    /// private-use, unassigned, line, paragraph or space separator character (Swift's Unicode
    /// tables, which may lag or lead the Python build's for newly assigned characters).
    static func isPrintable(_ c: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(c) else { return false }  // surrogates
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
