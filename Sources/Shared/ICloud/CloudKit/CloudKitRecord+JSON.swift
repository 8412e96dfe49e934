import Foundation

// CloudKit replies are read with the project's one JSON parser (not `JSONDecoder`, which tried
// each type of every field value in turn, a thrown error per miss: more than half of a full
// listing's CPU), and field values stay `JSON`.

struct CloudKitReplyError: Error, CustomStringConvertible {
    var description: String
}

/// How icloudpd reads CloudKit field values.
extension JSON {
    /// An integer: integral numbers (`1`, `1.0`), booleans and numeric strings, as Python's
    /// comparisons with ints see them.
    public var int64Value: Int64? {
        switch self {
        case .number(let n): return Int64(n) ?? Double(n).flatMap { $0.isFinite && $0.rounded() == $0 ? Int64(exactly: $0) : nil }
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return Int64(s)
        default: return nil
        }
    }

    /// Python truthiness.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .number(let n): return Double(n).map { $0 != 0 } ?? true
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }
}

extension CloudKitRecord {
    /// As the `Decodable` init reads it: tolerant, a record without `recordName` gets "".
    public init(json: JSON) {
        var fields: [String: CloudKitField] = [:]
        for (key, value) in json["fields"]?.objectValue ?? JSONObject() {
            guard case .object(let o) = value else { continue }  // a field that is not an object is dropped
            fields[key] = CloudKitField(value: o["value"], type: o["type"]?.stringValue)
        }
        self.init(recordName: json["recordName"]?.stringValue ?? "", recordType: json["recordType"]?.stringValue,
                  recordChangeTag: json["recordChangeTag"]?.stringValue, fields: fields, deleted: json["deleted"]?.boolValue)
    }

    public var json: JSON {
        var object = JSONObject()
        object["recordName"] = .string(recordName)
        if let recordType { object["recordType"] = .string(recordType) }
        if let recordChangeTag { object["recordChangeTag"] = .string(recordChangeTag) }
        var fieldObject = JSONObject()
        for (key, field) in fields.sorted(by: { $0.key < $1.key }) {
            var f = JSONObject()
            if let value = field.value { f["value"] = value }
            if let type = field.type { f["type"] = .string(type) }
            fieldObject[key] = .object(f)
        }
        object["fields"] = .object(fieldObject)
        if let deleted { object["deleted"] = .bool(deleted) }
        return .object(object)
    }

    /// Compact JSON text of the record (the state database keeps CPLMasters this way).
    public var jsonText: String { json.serialized }

    public static func fromJSONText(_ text: String) -> CloudKitRecord? {
        guard let json = try? JSON.parse(text), json.objectValue != nil else { return nil }
        return CloudKitRecord(json: json)
    }
}

extension CloudKitQueryResponse {
    public static func parse(_ data: Data) throws -> CloudKitQueryResponse {
        let json: JSON
        do { json = try JSON.parse(Array(data)) } catch { throw CloudKitReplyError(description: "\(error)") }
        guard json.objectValue != nil else { throw CloudKitReplyError(description: "the answer is not a JSON object") }
        return CloudKitQueryResponse(records: records(in: json["records"]), continuationMarker: json["continuationMarker"]?.stringValue,
                                     syncToken: json["syncToken"]?.stringValue)
    }

    /// The records of a reply's `records` array (entries that are not objects are skipped).
    static func records(in array: JSON?) -> [CloudKitRecord] {
        (array?.arrayValue ?? []).filter { $0.objectValue != nil }.map(CloudKitRecord.init(json:))
    }
}
