import Foundation
import Sandbox
import Shared

/// A temporary photo folder that is the import path of a sandbox Immich, plus helpers to
/// write files and the records that describe them.
final class ImmichWorkspace: @unchecked Sendable {
    // @unchecked: immutable after init apart from the sandbox, which is thread-safe.
    let root: String
    let photos: String
    let immich: SandboxImmich
    var journal: String { root + "/journal.json" }

    init(version: String = "2.5.6", tls: TLSIdentity? = nil, configure: (inout SandboxImmich.Config) -> Void = { _ in }) throws {
        root = NSTemporaryDirectory() + "ws-\(UUID().uuidString.prefix(8))"
        photos = root + "/photos"
        try FileManager.default.createDirectory(atPath: photos, withIntermediateDirectories: true)
        immich = try SandboxImmich.started(importPath: photos, version: version, tls: tls, configure: configure)
    }

    deinit {
        immich.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Environment for the tools: server, key, library.
    var environment: [String: String] {
        ["IMMICH_SERVER_URL": immich.baseURL, "IMMICH_API_KEY": immich.apiKey, "IMMICH_LIBRARY_ID": immich.libraryId, "HOME": root]
    }

    /// Writes a small file (content makes sizes differ) and returns its absolute path.
    @discardableResult
    func write(_ relative: String, bytes: Int = 16) throws -> String {
        let path = photos + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// One record line; `files` and `live` map size → absolute path.
    func record(_ id: String, created: String = "2024-01-15T14:03:22-08:00", favorite: Bool = false,
                files: [(String, String)], live: [(String, String)] = []) -> String {
        var object: JSONObject = ["type": "photo", "id": .string(id), "created": .string(created), "favorite": .bool(favorite)]
        object["files"] = .object(JSONObject(files.map { ($0.0, ["path": .string($0.1), "status": "downloaded"]) }))
        if !live.isEmpty { object["live"] = .object(JSONObject(live.map { ($0.0, ["path": .string($0.1), "status": "downloaded"]) })) }
        return JSON.object(object).serialized + "\n"
    }

    /// A photo with an original and a medium file in a date folder; returns its record line.
    func photo(_ index: Int, folder: String = "2024/01/15") throws -> String {
        let original = try write("\(folder)/IMG_\(index).HEIC")
        let medium = try write("\(folder)/IMG_\(index)-medium.JPG", bytes: 8)
        return record("photo-\(index)", files: [("original", original), ("medium", medium)])
    }

    /// Paths of the assets the sandbox holds (offline/trashed ones excluded).
    func assetPaths() throws -> [String] {
        let state = try JSON.parse(Array(immich.stateJSON()))
        return (state["assets"]?.arrayValue ?? []).compactMap { asset in
            asset["isTrashed"]?.boolValue == true ? nil : asset["originalPath"]?.stringValue
        }
    }

    func parseLines(_ text: String) -> [JSON] {
        text.split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
    }
}

/// Polls an async condition without blocking a thread.
func eventually(timeout: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return try await condition()
}
