import Foundation
import Shared

/// A JSON request body read with Immich's validation rules: class-validator wording and
/// `forbidNonWhitelisted` up to v2, zod wording and silent stripping of unknown keys from v3.
struct RequestBody {
    let fields: [String: SandboxJSON]
    let version: ImmichVersion

    init(_ request: HTTPServerRequest, version: ImmichVersion) throws {
        self.version = version
        if request.body.isEmpty || request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            fields = [:]
            return
        }
        guard let json = SandboxJSON.parse(request.body) else {
            throw ImmichError.badRequest(version.isZod ? "Invalid JSON body" : "Unexpected token in JSON body")
        }
        guard case .object(let object) = json else {
            throw ImmichError.invalid("", zod: "Invalid input: expected object", classValidator: "body must be an object")
        }
        fields = object
    }

    init(fields: [String: SandboxJSON], version: ImmichVersion) {
        self.fields = fields
        self.version = version
    }

    /// v1/v2 reject keys the DTO does not declare; v3 drops them silently
    /// (docs/references.md#immich-errors-and-validation).
    func rejectUnknownKeys(allowed: Set<String>) throws {
        guard !version.isZod else { return }
        let unknown = fields.keys.filter { !allowed.contains($0) }.sorted()
        guard !unknown.isEmpty else { return }
        throw ImmichError.validation(unknown.map {
            .init(path: [.string($0)], code: "unrecognized_keys", zodMessage: "Unrecognized key: \"\($0)\"",
                  classValidatorMessage: "property \($0) should not exist")
        })
    }

    /// Present and not null.
    func has(_ key: String) -> Bool {
        if let value = fields[key], !value.isNull { return true }
        return false
    }

    func isPresent(_ key: String) -> Bool { fields[key] != nil }

    /// The value of `key` as `convert` reads it (`type` names it in messages); nil when absent or
    /// null, which is an error when `required`.
    private func value<T>(_ key: String, _ type: String, required: Bool = false, classValidator: String,
                          _ convert: (SandboxJSON) -> T?) throws -> T? {
        guard let value = fields[key], !value.isNull else {
            if required {
                throw ImmichError.invalid(key, zod: "Invalid input: expected \(type), received undefined", classValidator: classValidator)
            }
            return nil
        }
        guard let result = convert(value) else {
            throw ImmichError.invalid(key, zod: "Invalid input: expected \(type)", classValidator: classValidator)
        }
        return result
    }

    func bool(_ key: String) throws -> Bool? {
        try value(key, "boolean", classValidator: "\(key) must be a boolean value") { $0.boolValue }
    }

    func string(_ key: String, required: Bool = false) throws -> String? {
        try value(key, "string", required: required, classValidator: "\(key) must be a string") { $0.stringValue }
    }

    func int(_ key: String, min: Int? = nil, max: Int? = nil) throws -> Int? {
        guard let number = try value(key, "int", classValidator: "\(key) must be an integer number", { $0.intValue }) else { return nil }
        if let min, number < min {
            throw ImmichError.invalid(key, code: "too_small", zod: "Too small: expected number to be >=\(min)",
                                      classValidator: "\(key) must not be less than \(min)")
        }
        if let max, number > max {
            throw ImmichError.invalid(key, code: "too_big", zod: "Too big: expected number to be <=\(max)",
                                      classValidator: "\(key) must not be greater than \(max)")
        }
        return number
    }

    func date(_ key: String) throws -> Date? {
        guard let value = fields[key], !value.isNull else { return nil }
        guard let text = value.stringValue, let date = SandboxTime.parse(text) else {
            throw ImmichError.invalid(key, code: "invalid_format", zod: "Invalid ISO datetime", classValidator: "\(key) must be a Date instance")
        }
        return date
    }

    func oneOf(_ key: String, _ allowed: [String]) throws -> String? {
        guard let value = fields[key], !value.isNull else { return nil }
        guard let text = value.stringValue, allowed.contains(text) else {
            throw ImmichError.invalid(key, code: "invalid_value",
                                      zod: "Invalid option: expected one of " + allowed.map { "\"\($0)\"" }.joined(separator: "|"),
                                      classValidator: "\(key) must be one of the following values: " + allowed.joined(separator: ", "))
        }
        return text
    }

    /// `.some(nil)` for an explicit null, nil when absent.
    func nullableUUID(_ key: String) throws -> String?? {
        guard let value = fields[key] else { return nil }
        if value.isNull { return .some(nil) }
        guard let text = value.stringValue, Self.isValidUUID(text, version) else {
            throw ImmichError.invalid(key, code: "invalid_format", zod: "Invalid UUID", classValidator: "\(key) must be a UUID")
        }
        return .some(text)
    }

    func uuid(_ key: String) throws -> String? {
        guard let value = try nullableUUID(key) else { return nil }
        return value
    }

    func uuidArray(_ key: String, required: Bool = false, minCount: Int = 0) throws -> [String]? {
        guard let items = try value(key, "array", required: required, classValidator: "\(key) must be an array", { $0.arrayValue }) else {
            return nil
        }
        var ids: [String] = []
        var issues: [ImmichError.Issue] = []
        for (index, item) in items.enumerated() {
            if let text = item.stringValue, Self.isValidUUID(text, version) {
                ids.append(text)
            } else {
                issues.append(.init(path: [.string(key), .int(index)], code: "invalid_format", zodMessage: "Invalid UUID",
                                    classValidatorMessage: "each value in \(key) must be a UUID"))
            }
        }
        if !issues.isEmpty {
            // class-validator reports the array once; zod once per bad element.
            throw ImmichError.validation(version.isZod ? issues : [issues[0]])
        }
        if ids.count < minCount {
            throw ImmichError.invalid(key, code: "too_small", zod: "Too small: expected array to have >=\(minCount) items",
                                      classValidator: "\(key) must contain at least \(minCount) elements")
        }
        return ids
    }

    static func isValidUUID(_ text: String, _ version: ImmichVersion) -> Bool {
        version.isZod ? SandboxUUID.isUUIDv4(text) : SandboxUUID.isUUID(text)
    }
}
