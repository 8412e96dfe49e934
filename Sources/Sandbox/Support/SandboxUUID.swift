import Foundation

/// UUID helpers: Foundation's `UUID()` is random (version 4), which is what Immich v3 requires.
enum SandboxUUID {
    static func make() -> String { UUID().uuidString.lowercased() }

    /// Any RFC 4122 shaped UUID (what class-validator's `IsUUID` accepts in v1/v2).
    static func isUUID(_ text: String) -> Bool {
        UUID(uuidString: text) != nil && text.count == 36
    }

    /// Version 4 with the RFC variant, as zod's `z.uuidv4()` checks in v3.
    static func isUUIDv4(_ text: String) -> Bool {
        guard isUUID(text) else { return false }
        let chars = Array(text.lowercased())
        return chars[14] == "4" && "89ab".contains(chars[19])
    }
}
