import Foundation

/// A JSON value as it appears in CloudKit replies. Numbers keep integer-ness where possible.
public enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int64.self) { self = .int(i); return }
        if let d = try? c.decode(Double.self) { self = .double(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) { self = .object(o); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "unsupported JSON value")
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Integer value; doubles with an integral value are accepted, as are numeric strings.
    public var int64Value: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d): return d.isFinite && d.rounded() == d ? Int64(exactly: d) : nil
        case .bool(let b): return b ? 1 : 0
        case .string(let s): return Int64(s)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// Python truthiness.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }
}

/// One CloudKit field: `{"value": …, "type": "INT64" | "STRING" | "TIMESTAMP" | "ENCRYPTED_BYTES" | "REFERENCE" | "ASSETID" | …}`.
public struct CloudKitField: Sendable, Equatable, Decodable {
    public var value: JSONValue?
    public var type: String?

    public init(value: JSONValue?, type: String?) {
        self.value = value
        self.type = type
    }

    enum CodingKeys: String, CodingKey { case value, type }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        value = try c.decodeIfPresent(JSONValue.self, forKey: .value)
        type = try? c.decodeIfPresent(String.self, forKey: .type)
    }
}

/// The `value` of an ASSETID resource field (`<prefix>Res`).
public struct CloudKitAssetReference: Sendable, Equatable {
    public var downloadURL: String?
    public var size: Int64?
    public var fileChecksum: String?
    public var wrappingKey: String?
    public var referenceChecksum: String?

    public init(_ value: JSONValue) {
        downloadURL = value["downloadURL"]?.stringValue
        size = value["size"]?.int64Value
        fileChecksum = value["fileChecksum"]?.stringValue
        wrappingKey = value["wrappingKey"]?.stringValue
        referenceChecksum = value["referenceChecksum"]?.stringValue
    }
}

/// One record of a `records/query` reply. Unknown keys are ignored; every key is optional
/// except that a record without `recordName` decodes with an empty name.
public struct CloudKitRecord: Sendable, Equatable, Decodable {
    public var recordName: String
    public var recordType: String?
    public var recordChangeTag: String?
    public var fields: [String: CloudKitField]
    public var deleted: Bool?

    public init(recordName: String, recordType: String?, recordChangeTag: String? = nil,
                fields: [String: CloudKitField] = [:], deleted: Bool? = nil) {
        self.recordName = recordName
        self.recordType = recordType
        self.recordChangeTag = recordChangeTag
        self.fields = fields
        self.deleted = deleted
    }

    enum CodingKeys: String, CodingKey { case recordName, recordType, recordChangeTag, fields, deleted }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        recordName = (try? c.decodeIfPresent(String.self, forKey: .recordName)) ?? ""
        recordType = try? c.decodeIfPresent(String.self, forKey: .recordType)
        recordChangeTag = try? c.decodeIfPresent(String.self, forKey: .recordChangeTag)
        deleted = try? c.decodeIfPresent(Bool.self, forKey: .deleted)
        // Tolerant: a field that is not an object is dropped rather than failing the record.
        let raw = (try? c.decodeIfPresent([String: JSONValue].self, forKey: .fields)) ?? [:]
        var out: [String: CloudKitField] = [:]
        for (k, v) in raw {
            if case .object(let o) = v {
                out[k] = CloudKitField(value: o["value"], type: o["type"]?.stringValue)
            }
        }
        fields = out
    }

    public func value(_ field: String) -> JSONValue? { fields[field]?.value }

    /// `masterRef.value.recordName` of a CPLAsset.
    public var masterRecordName: String? { value("masterRef")?["recordName"]?.stringValue }

    public var isMaster: Bool { recordType == "CPLMaster" }
    public var isAsset: Bool { recordType == "CPLAsset" }
}
