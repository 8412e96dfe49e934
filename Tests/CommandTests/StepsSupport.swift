import Foundation
import Sandbox
import Shared

/// A sandbox Immich with a temp library folder, photo records for it, and helpers that run
/// the built tools without blocking Swift's cooperative pool.
final class StepsWorld: @unchecked Sendable {
    // @unchecked: set up once, then only read.
    let immich: SandboxImmich
    let root: URL

    init(version: String, configure: (inout SandboxImmich.Config) -> Void = { _ in }) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("steps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        immich = try SandboxImmich.started(importPath: root.path, version: version, configure: configure)
    }

    deinit {
        immich.stop()
        try? FileManager.default.removeItem(at: root)
    }

    var environment: [String: String] {
        // HOME: immich-album keeps its state under ~/.pyicloud.
        ["IMMICH_SERVER_URL": immich.baseURL, "IMMICH_API_KEY": immich.apiKey, "IMMICH_LIBRARY_ID": immich.libraryId, "HOME": root.path]
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    func touch(_ relative: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data())
    }

    /// A photo record; `files`/`live` map size → relative path, `fallback` size → size it fell back to.
    func record(id: String, created: String, favorite: Bool, files: [(String, String)], fallback: [String: String] = [:],
                live: [(String, String)] = []) throws -> String {
        var filesObject = JSONObject()
        for (size, relative) in files {
            if fallback[size] == nil { try touch(relative) }
            var entry: JSONObject = ["path": .string(path(relative)), "status": "downloaded"]
            if let to = fallback[size] { entry["fallback"] = .string(to) }
            filesObject[size] = .object(entry)
        }
        var object: JSONObject = ["type": "photo", "id": .string(id), "created": .string(created), "favorite": .bool(favorite),
                                  "files": .object(filesObject)]
        if !live.isEmpty {
            var liveObject = JSONObject()
            for (size, relative) in live {
                try touch(relative)
                liveObject[size] = ["path": .string(path(relative)), "status": "downloaded"]
            }
            object["live"] = .object(liveObject)
        }
        return JSON.object(object).serialized
    }

    func state() throws -> JSON { try JSON.parse(Array(immich.stateJSON())) }

    func assetId(_ relative: String) throws -> String {
        let target = path(relative)
        guard let asset = try state()["assets"]?.arrayValue?.first(where: { $0["originalPath"]?.stringValue == target }),
              let id = asset["id"]?.stringValue else { throw ToolError.runtime("no asset for \(relative)") }
        return id
    }

    /// Requests that change state: every PUT/PATCH/DELETE and every POST but searches.
    func mutatingCalls() -> [String: Int] {
        immich.requestCounts().filter { key, _ in
            key != "total" && !key.hasPrefix("GET ") && key != "POST /api/search/metadata"
        }
    }
}

struct PipelineResult: Sendable {
    let statuses: [Int32]
    let stdout: String
    let stderr: String
    var lines: [JSON] { stdout.split(separator: "\n").compactMap { try? JSON.parse(String($0)) } }
}

/// Runs `a | b | c` on a thread of its own, so waiting never holds a cooperative-pool thread.
func runPipeline(_ stages: [(String, [String])], input: String, environment: [String: String]) async throws -> PipelineResult {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do {
                let pipeline = try ToolPipeline(stages, environment: environment)
                pipeline.write(input)
                let (statuses, out, err) = pipeline.finish()
                continuation.resume(returning: PipelineResult(statuses: statuses, stdout: out, stderr: err))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
