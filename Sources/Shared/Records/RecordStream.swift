/// One line of input, classified. Photo records get a typed view; batch boundaries are kept
/// as written; anything else with a `type` passes through untouched.
public enum RecordLine: Sendable {
    case photo(PhotoRecord)
    case boundary(JSON)
    case other(JSON)
    case malformed(line: Int, reason: String)

    public static func classify(_ bytes: [UInt8], lineNumber: Int) -> RecordLine? {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        let value: JSON
        do {
            value = try JSON.parse(bytes)
        } catch {
            return .malformed(line: lineNumber, reason: "malformed JSON (\(error))")
        }
        guard let object = value.objectValue else {
            return .malformed(line: lineNumber, reason: "expected a JSON object, got \(value.serialized.prefix(40))")
        }
        switch object["type"]?.stringValue {
        case "photo": return .photo(PhotoRecord(object))
        case "batch": return .boundary(value)
        case nil:
            // A hand-written line without `type` but with files is still a photo record.
            if object["files"] != nil || object["live"] != nil { return .photo(PhotoRecord(object)) }
            return .malformed(line: lineNumber, reason: "not a photo record (no \"type\" and no \"files\")")
        default: return .other(value)
        }
    }

    public var json: JSON? {
        switch self {
        case .photo(let record): record.json
        case .boundary(let value), .other(let value): value
        case .malformed: nil
        }
    }
}
