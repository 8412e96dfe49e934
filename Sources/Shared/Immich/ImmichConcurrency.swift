import Foundation

/// How many independent Immich requests of a batch a step keeps in flight (`--concurrency` on
/// every step, `--immich-concurrency` on the plugin): stack creations, live links, favourite
/// updates, album additions and per-file lookups. One bound for every step.
public enum ImmichConcurrency {
    public static let `default` = 8
    public static let range = 1...64

    /// A whole number in `range`; blanks around it are ignored.
    @Sendable public static func parse(_ text: String, _ option: String) throws(ToolError) -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw .usage("invalid --\(option) '\(text)': expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
