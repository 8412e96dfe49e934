import Foundation

/// What the planner needs to know about the disk: Python `os.path.isfile` and `st_size`.
public protocol FileSystemView: Sendable {
    /// True for an existing regular file (symlinks followed).
    func isFile(_ path: String) -> Bool
    /// Size in bytes of an existing file, nil if it does not exist.
    func fileSize(_ path: String) -> Int64?
}

/// The real file system.
public struct LocalFileSystem: FileSystemView {
    public init() {}
    public func isFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }
    public func fileSize(_ path: String) -> Int64? {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : nil
    }
}

/// An in-memory file system (tests, dry-run planning). Paths are compared byte-wise.
public struct InMemoryFileSystem: FileSystemView {
    private var files: [[UInt8]: Int64]

    public init(_ files: [String: Int64] = [:]) {
        self.files = [:]
        for (p, s) in files { self.files[Array(p.utf8)] = s }
    }

    public mutating func write(_ path: String, size: Int64) { files[Array(path.utf8)] = size }
    public mutating func remove(_ path: String) { files[Array(path.utf8)] = nil }
    public var paths: [String] { files.keys.map { String(decoding: $0, as: UTF8.self) }.sorted() }

    public func isFile(_ path: String) -> Bool { files[Array(path.utf8)] != nil }
    public func fileSize(_ path: String) -> Int64? { files[Array(path.utf8)] }
}

/// A view over another view plus files planned to be written (so that a second size mapping
/// to the same path is "already exists", as it is in icloudpd after the first download).
public struct OverlayFileSystem<Base: FileSystemView>: FileSystemView {
    public var base: Base
    public var planned: InMemoryFileSystem

    public init(base: Base, planned: InMemoryFileSystem = InMemoryFileSystem()) {
        self.base = base
        self.planned = planned
    }

    public func isFile(_ path: String) -> Bool { planned.isFile(path) || base.isFile(path) }
    public func fileSize(_ path: String) -> Int64? { planned.fileSize(path) ?? base.fileSize(path) }
}
