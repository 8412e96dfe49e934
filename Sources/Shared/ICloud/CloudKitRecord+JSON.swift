import Foundation

// CloudKit replies read with the project's own JSON parser instead of `JSONDecoder`: the
// latter tries each type of every field value in turn (a thrown error per miss), which cost
// more than half of a full listing's CPU. The same records come out.

struct CloudKitReplyError: Error, CustomStringConvertible {
    var description: String
}

extension JSONValue {
    init(_ json: JSON) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n):
            if let i = Int64(n) { self = .int(i) } else if let d = Double(n) { self = .double(d) } else { self = .null }
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a.map(JSONValue.init))
        case .object(let o):
            var out: [String: JSONValue] = [:]
            for (key, value) in o { out[key] = JSONValue(value) }
            self = .object(out)
        }
    }

    var json: JSON {
        switch self {
        case .null: .null
        case .bool(let b): .bool(b)
        case .int(let i): .number(String(i))
        case .double(let d): .number(String(d))
        case .string(let s): .string(s)
        case .array(let a): .array(a.map(\.json))
        case .object(let o): .object(JSONObject(o.sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) }))
        }
    }
}

extension CloudKitRecord {
    /// As the `Decodable` init reads it: tolerant, a record without `recordName` gets "".
    public init(json: JSON) {
        var fields: [String: CloudKitField] = [:]
        for (key, value) in json["fields"]?.objectValue ?? JSONObject() {
            guard case .object(let o) = value else { continue }  // a field that is not an object is dropped
            fields[key] = CloudKitField(value: o["value"].map(JSONValue.init), type: o["type"]?.stringValue)
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
            if let value = field.value { f["value"] = value.json }
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
        let records = (json["records"]?.arrayValue ?? []).filter { $0.objectValue != nil }.map(CloudKitRecord.init(json:))
        return CloudKitQueryResponse(records: records, continuationMarker: json["continuationMarker"]?.stringValue,
                                     syncToken: json["syncToken"]?.stringValue)
    }
}
