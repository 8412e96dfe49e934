import Foundation

/// One CloudKit field: `{"value": …, "type": "INT64" | "STRING" | "TIMESTAMP" | "ENCRYPTED_BYTES" | "REFERENCE" | "ASSETID" | …}`.
public struct CloudKitField: Sendable, Equatable {
    public var value: JSON?
    public var type: String?

    public init(value: JSON?, type: String?) {
        self.value = value
        self.type = type
    }
}

/// The `value` of an ASSETID resource field (`<prefix>Res`).
public struct CloudKitAssetReference: Sendable, Equatable {
    public var downloadURL: String?
    public var size: Int64?
    public var fileChecksum: String?
    public var wrappingKey: String?
    public var referenceChecksum: String?

    public init(_ value: JSON) {
        downloadURL = value["downloadURL"]?.stringValue
        size = value["size"]?.int64Value
        fileChecksum = value["fileChecksum"]?.stringValue
        wrappingKey = value["wrappingKey"]?.stringValue
        referenceChecksum = value["referenceChecksum"]?.stringValue
    }
}

/// One record of a `records/query` reply. Unknown keys are ignored; every key is optional
/// except that a record without `recordName` decodes with an empty name.
public struct CloudKitRecord: Sendable, Equatable {
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

    public func value(_ field: String) -> JSON? { fields[field]?.value }

    /// `masterRef.value.recordName` of a CPLAsset.
    public var masterRecordName: String? { value("masterRef")?["recordName"]?.stringValue }

    public var isMaster: Bool { recordType == "CPLMaster" }
    public var isAsset: Bool { recordType == "CPLAsset" }
}
