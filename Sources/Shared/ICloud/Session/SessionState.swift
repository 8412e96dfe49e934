import Foundation

/// The contents of icloudpd's `<cookie-dir>/<name>.session` file: a flat JSON object of
/// strings captured from response headers (plus `client_id`). Key order and unknown keys
/// are kept so that a load/save cycle reproduces the file icloudpd wrote.
public struct SessionState: Sendable, Equatable {
    /// Session-file keys, in the order icloudpd checks the response headers
    /// (docs/references.md#icloudpd-sign-in).
    public static let headerKeys: [(header: String, key: String)] = [
        ("X-Apple-ID-Account-Country", "account_country"),
        ("X-Apple-ID-Session-Id", "session_id"),
        ("X-Apple-Session-Token", "session_token"),
        ("X-Apple-TwoSV-Trust-Token", "trust_token"),
        ("X-Apple-TwoSV-Trust-Eligible", "trust_eligible"),
        ("X-Apple-I-Rscd", "apple_rscd"),
        ("X-Apple-I-Ercd", "apple_ercd"),
        ("scnt", "scnt"),
    ]

    /// All members in file order.
    public private(set) var members: JSONObject

    public init() { members = JSONObject() }

    /// Parses the file content; throws `JSONParseError` or `SessionStateError`.
    public init(json data: Data) throws {
        guard case .object(let members) = try JSON.parse(Array(data)) else {
            throw SessionStateError.notAnObject
        }
        self.members = members
    }

    /// The file content exactly as Python's `json.dump(session_data, f)` writes it
    /// (one line, no trailing newline).
    public func jsonData() -> Data { Data(JSON.object(members).pythonSerialized.utf8) }

    /// A string member (nil when absent or not a string).
    public subscript(key: String) -> String? {
        get { members[key]?.stringValue }
        set { members[key] = newValue.map(JSON.string) }
    }

    /// Sets any JSON value; an existing key keeps its place, a new one goes last.
    public mutating func setValue(_ value: JSON, forKey key: String) { members[key] = value }

    public var clientID: String? { get { self["client_id"] } set { self["client_id"] = newValue } }
    public var scnt: String? { get { self["scnt"] } set { self["scnt"] = newValue } }
    public var sessionID: String? { get { self["session_id"] } set { self["session_id"] = newValue } }
    public var sessionToken: String? { get { self["session_token"] } set { self["session_token"] = newValue } }
    public var trustToken: String? { get { self["trust_token"] } set { self["trust_token"] = newValue } }
    public var accountCountry: String? { get { self["account_country"] } set { self["account_country"] = newValue } }
    public var trustEligible: String? { get { self["trust_eligible"] } set { self["trust_eligible"] = newValue } }
    public var appleRscd: String? { get { self["apple_rscd"] } set { self["apple_rscd"] = newValue } }
    public var appleErcd: String? { get { self["apple_ercd"] } set { self["apple_ercd"] = newValue } }

    /// Copies the session headers of any response into the state (header names matched
    /// case-insensitively; empty values ignored, as icloudpd does). Returns true if anything changed.
    @discardableResult
    public mutating func capture(responseHeaders headers: [String: String]) -> Bool {
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        var changed = false
        for (header, key) in SessionState.headerKeys {
            guard let value = lowered[header.lowercased()], !value.isEmpty else { continue }
            if self[key] != value { changed = true }
            self[key] = value
        }
        return changed
    }
}

public enum SessionStateError: Error, Equatable, Sendable {
    case notAnObject
}
