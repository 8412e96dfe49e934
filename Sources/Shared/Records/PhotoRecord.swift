/// A photo record (docs/records.md): one JSON object per line with `type:"photo"`. This view
/// reads and adds the fields the Immich steps use and leaves every other member untouched.
public struct PhotoRecord: Sendable, Equatable {
    public var object: JSONObject

    public static let stillSizes = ["original", "adjusted", "alternative", "medium", "thumb"]
    public static let liveSizes = ["original", "medium", "thumb"]

    public enum Group: String, Sendable { case files, live }

    /// One file of the record: a still size under `files` or a live video size under `live`.
    public struct FileRef: Sendable, Hashable {
        public let group: Group
        public let size: String
    }

    public init(_ object: JSONObject) { self.object = object }

    public var id: String? { object["id"]?.stringValue }
    public var isFavorite: Bool { object["favorite"]?.boolValue ?? false }
    public var created: String? { object["created"]?.stringValue }
    /// The iCloud albums holding the photo; nil when the record does not say (no `albums` key):
    /// memberships unknown, never "in no album".
    public var albums: [String]? { object["albums"]?.arrayValue.map { $0.compactMap(\.stringValue) } }
    /// Deleted in iCloud (`"deleted":true`): its files are only looked up, never imported.
    public var isDeleted: Bool { object["deleted"]?.boolValue ?? false }
    /// Back from Recently Deleted in this change run (`"restored"` in `changed`).
    public var isRestored: Bool { object["changed"]?.arrayValue?.contains(.string("restored")) ?? false }

    /// Files in document order: stills first, then live videos.
    public var fileRefs: [FileRef] {
        var refs: [FileRef] = []
        for group in [Group.files, .live] {
            guard let entries = object[group.rawValue]?.objectValue else { continue }
            refs += entries.keys.map { FileRef(group: group, size: $0) }
        }
        return refs
    }

    public func entry(_ ref: FileRef) -> JSONObject? { object[ref.group.rawValue]?[ref.size]?.objectValue }

    public func path(_ ref: FileRef) -> String? { entry(ref)?["path"]?.stringValue }
    public func asset(_ ref: FileRef) -> String? { entry(ref)?["asset"]?.stringValue }

    public mutating func set(_ ref: FileRef, _ key: String, _ value: JSON?) {
        guard var group = object[ref.group.rawValue]?.objectValue, var entry = group[ref.size]?.objectValue else { return }
        entry[key] = value
        group[ref.size] = .object(entry)
        object[ref.group.rawValue] = .object(group)
    }

    /// True unless the record lists `steps` and leaves this one out (favourites-only routing).
    public func wantsStep(_ step: ImmichStep) -> Bool { wantsStep(step.rawValue) }

    public func wantsStep(_ step: String) -> Bool {
        guard let steps = object["steps"]?.arrayValue else { return true }
        return steps.contains(.string(step))
    }

    public var errors: [JSON] { object["errors"]?.arrayValue ?? [] }
    public var hasErrors: Bool { !errors.isEmpty }

    /// An error of `step` on this record (`{"stage":"immich-scan","message":…}`).
    public mutating func addError(_ step: ImmichStep, _ message: String) { addError(stage: step.command, message) }

    public mutating func addError(stage: String, _ message: String) {
        var list = errors
        list.append(["stage": .string(stage), "message": .string(message)])
        object["errors"] = .array(list)
    }

    /// Records what a step did under `done.<step>`.
    public mutating func markDone(_ step: ImmichStep, _ value: JSON) { markDone(key: step.rawValue, value) }

    /// An entry of `done` that is not named after a step (`done.live`, written by immich-stack).
    public mutating func markDone(key: String, _ value: JSON) {
        var done = object["done"]?.objectValue ?? JSONObject()
        done[key] = value
        object["done"] = .object(done)
    }

    public var json: JSON { .object(object) }
}
