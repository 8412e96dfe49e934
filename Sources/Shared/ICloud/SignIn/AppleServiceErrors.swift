import Foundation

/// Apple's error codes inside idmsa answers: `serviceErrors` / `service_errors` arrays of
/// `{code, message}` (sometimes with `hasError: true`, even on a 200).
public struct AppleServiceErrors: Sendable {
    public let codes: [String]
    public let messages: [String]

    public init(body: Data) {
        let json = try? JSON.parse(Array(body))
        let list = json?["serviceErrors"]?.arrayValue ?? json?["service_errors"]?.arrayValue ?? []
        codes = list.compactMap { $0["code"]?.stringValue ?? $0["code"]?.intValue.map(String.init) }
        messages = list.compactMap { $0["message"]?.stringValue }
        hasErrorFlag = json?["hasError"]?.boolValue ?? false
    }

    private let hasErrorFlag: Bool

    public var isEmpty: Bool { codes.isEmpty && !hasErrorFlag }

    /// -21669: the verification code is wrong.
    public var isWrongCode: Bool { codes.contains("-21669") }
    /// -20209 and friends: the account is locked.
    public var isLocked: Bool {
        codes.contains("-20209") || codes.contains("-20283")
            || messages.contains { $0.lowercased().contains("locked") }
    }
}
