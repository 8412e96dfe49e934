/// The icloudpd Immich plugin's Directory Validation: is the download directory inside an import path?
///
///     # Immich import path: /mnt/photos
///     # icloudpd directory: /mnt/photos/icloud  ✓ Valid
///     # icloudpd directory: /home/user/downloads  ✗ Invalid
///
/// Components holding a date template (`%Y`) are dropped first, as the plugin's README says; the path is
/// made absolute and normalised lexically (not through symlinks: Immich stores the path as
/// given), then rewritten by `--immich-path-map` into the path Immich sees.
public struct DirectoryCheck: Sendable {
    public let directory: String
    /// The directory as Immich sees it.
    public let serverPath: String
    public let importPaths: [String]
    /// The import path holding it, if any.
    public let importPath: String?

    public init(directory: String, importPaths: [String], mapping: PathMapping, workingDirectory: String) {
        self.directory = directory
        let absolute = directory.hasPrefix("/") ? directory : workingDirectory + "/" + directory
        let withoutTemplates = absolute.split(separator: "/", omittingEmptySubsequences: false)
            .filter { !$0.contains("%") }.joined(separator: "/")
        let serverPath = mapping.serverPath(for: withoutTemplates)
        let normalized = importPaths.map(PathMapping.normalize)
        self.serverPath = serverPath
        self.importPaths = normalized
        importPath = normalized.first { PathMapping.isWithin(serverPath, $0) }
    }

    public var isValid: Bool { importPath != nil }

    private var shown: String { serverPath == PathMapping.normalize(directory) ? directory : "\(directory) (\(serverPath) for Immich)" }

    /// `/mnt/photos/icloud ✓ inside import path /mnt/photos` or `… ✗ …`.
    public var line: String {
        if let importPath { return "Directory validation: \(shown) ✓ inside import path \(importPath)" }
        return "Directory validation: \(shown) ✗ not inside any import path (\(importPaths.joined(separator: ", ")))"
    }

    public var failureMessage: String {
        line + ". Immich only sees files under its library's import paths: download into a folder under one "
            + "(Administration → External Libraries), or map this folder to the path Immich sees with --immich-path-map LOCAL=SERVER"
    }
}
