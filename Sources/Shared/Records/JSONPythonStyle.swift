// The serialisation Python's `json.dumps` writes with default arguments: ", " and ": "
// separators and non-ASCII escaped as \uXXXX (ensure_ascii). icloudpd's `.session` file and
// Apple's sign-in bodies are written this way, so files stay byte-compatible with icloudpd.

extension JSON {
    public var pythonSerialized: String {
        var out = ""
        writePython(to: &out)
        return out
    }

    private func writePython(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): JSON.writePythonString(text, to: &out)
        case .array(let items):
            out += "["
            for (offset, item) in items.enumerated() {
                if offset > 0 { out += ", " }
                item.writePython(to: &out)
            }
            out += "]"
        case .object(let object):
            out += "{"
            for (offset, member) in object.members.enumerated() {
                if offset > 0 { out += ", " }
                JSON.writePythonString(member.key, to: &out)
                out += ": "
                member.value.writePython(to: &out)
            }
            out += "}"
        }
    }

    /// Python's string escaping with `ensure_ascii=True` (UTF-16 units above 0x7E as \uXXXX).
    static func writePythonString(_ text: String, to out: inout String) {
        out += "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        out += "\""
    }
}
