/// The Immich steps of a pipeline. The raw value is the name records use (a record's `steps`
/// list and its `done.<step>` entries); `command` is the tool that runs the step, which is also
/// the `stage` of its errors and stats lines.
public enum ImmichStep: String, Sendable, CaseIterable {
    case batch, scan, stack, fav, album, trash

    /// `immich-scan` for `.scan`.
    public var command: String { "immich-\(rawValue)" }
}
