#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Walks import paths on disk the way Immich's crawl does: recursive, supported extensions
/// only (case-insensitive), hidden files and folders skipped, default exclusion folders skipped.
enum LibraryCrawler {
    struct FoundFile {
        var path: String
        var type: AssetType
        var modified: Date
        var size: Int64
    }

    /// Folder names Immich's default `exclusionPatterns` leave out (`**/@eaDir/**`, …).
    static let excludedFolders: Set<String> = ["@eaDir", "#recycle", "#snapshot"]

    static func crawl(importPaths: [String]) -> [FoundFile] {
        var found: [String: FoundFile] = [:]
        for importPath in importPaths {
            let root = normalize(importPath)
            // Invalid import paths (relative, missing, not a folder) are skipped, as Immich logs and skips them.
            guard root.hasPrefix("/"), isDirectory(root) else { continue }
            walk(root, into: &found)
        }
        return found.values.sorted { $0.path < $1.path }
    }

    private static func walk(_ directory: String, into found: inout [String: FoundFile]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where !name.hasPrefix(".") {
            let path = directory == "/" ? "/" + name : directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            var kind = info.st_mode & S_IFMT
            if kind == S_IFLNK {
                // Follow links to files; do not descend into linked folders (avoids cycles).
                guard stat(path, &info) == 0 else { continue }
                kind = info.st_mode & S_IFMT
                if kind == S_IFDIR { continue }
            }
            if kind == S_IFDIR {
                if !excludedFolders.contains(name) { walk(path, into: &found) }
            } else if kind == S_IFREG, let type = MediaTypes.assetType(forPath: name) {
                let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
                found[path] = FoundFile(path: path, type: type, modified: modified, size: Int64(info.st_size))
            }
        }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Like Node's `path.normalize` for absolute paths: collapses `//` and `.`, resolves `..`,
    /// drops a trailing `/`; no symlinks are resolved.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : joined
    }

    /// `checksum` of an external asset: sha1("path:" + originalPath)
    /// (docs/references.md#immich-external-libraries-and-scans).
    static func pathChecksum(_ path: String) -> Data {
        SHA1.digest(Data(("path:" + path).utf8))
    }
}
