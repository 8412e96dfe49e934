import Foundation

/// Rewrites local paths into the paths Immich sees (e.g. a Docker mount), and checks them
/// against the library's import paths. Paths are normalised as the server does: `//`
/// collapsed, no trailing `/`, `.` and `..` resolved lexically (no symlinks), NFC.
public struct PathMapping: Sendable {
    public let rules: [(local: String, server: String)]

    public init(rules: [(local: String, server: String)]) {
        // Longest local prefix first, so nested mappings win.
        self.rules = rules.map { (PathMapping.normalize($0.local), PathMapping.normalize($0.server)) }
            .sorted { $0.0.count > $1.0.count }
    }

    /// Parses `LOCAL=SERVER` arguments.
    public init(arguments: [String]) throws(ToolError) {
        var rules: [(String, String)] = []
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw ToolError.usage("invalid --path-map '\(argument)': expected LOCAL=SERVER, e.g. /mnt/photos=/data/photos")
            }
            let local = String(argument[..<equals]), server = String(argument[argument.index(after: equals)...])
            guard local.hasPrefix("/"), server.hasPrefix("/") else {
                throw ToolError.usage("invalid --path-map '\(argument)': both sides must be absolute paths")
            }
            rules.append((local, server))
        }
        self.init(rules: rules)
    }

    public func serverPath(for localPath: String) -> String {
        let path = PathMapping.normalize(localPath)
        for rule in rules where PathMapping.isWithin(path, rule.local) {
            return rule.server + path.dropFirst(rule.local.count)
        }
        return path
    }

    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return ("/" + parts.joined(separator: "/")).precomposedStringWithCanonicalMapping
    }

    /// Whether `path` is `root` or inside it, on a path-component boundary (`/photos` does not
    /// contain `/photos2`: Immich's crawl of `/photos` never sees it).
    public static func isWithin(_ path: String, _ root: String) -> Bool {
        if root == "/" { return true }
        return path == root || path.hasPrefix(root + "/")
    }
}
