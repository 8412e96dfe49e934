import Foundation

/// Finds the `immich-*` executables: next to the running executable first (they are built and
/// installed together, so versions match), then on PATH.
public struct ToolLocator: Sendable {
    public let directories: [String]

    public init(directories: [String]) { self.directories = directories }

    /// The running executable's folder, then PATH.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        let path = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        self.init(directories: [own] + path.filter { !$0.isEmpty })
    }

    public func url(of tool: String) throws(ToolError) -> URL {
        for directory in directories {
            let candidate = directory + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw .runtime("\(tool) not found next to this program (\(directories.first ?? "?")) or on PATH: install the immich-* commands with icloudpd")
    }
}
