import Foundation

// Records written back as JSON: the state database keeps each photo's CPLMaster so a change
// batch that carries only the CPLAsset half can be paired with it.

extension JSONValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

extension CloudKitField: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encodeIfPresent(type, forKey: .type)
    }
}

extension CloudKitRecord: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(recordName, forKey: .recordName)
        try c.encodeIfPresent(recordType, forKey: .recordType)
        try c.encodeIfPresent(recordChangeTag, forKey: .recordChangeTag)
        try c.encode(fields, forKey: .fields)
        try c.encodeIfPresent(deleted, forKey: .deleted)
    }

    /// Compact JSON text of the record.
    public var jsonText: String {
        (try? JSONEncoder().encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    public static func fromJSONText(_ text: String) -> CloudKitRecord? {
        try? JSONDecoder().decode(CloudKitRecord.self, from: Data(text.utf8))
    }
}
