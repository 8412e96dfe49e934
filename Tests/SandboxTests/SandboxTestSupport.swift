import Foundation
import Sandbox
import Shared

/// An in-process sandbox on an ephemeral port plus a tiny JSON client for it.
final class SandboxFixture: @unchecked Sendable {
    let immich: SandboxImmich
    let root: URL
    let client = HTTPClient(timeout: 10, retryPolicy: .none)

    /// `files` are created under a fresh temp dir that is the default library's import path.
    init(version: String = "2.5.6", files: [String] = [], configure: (inout SandboxImmich.Config) -> Void = { _ in }) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var config = SandboxImmich.Config()
        config.version = version
        config.importPaths = [root.path]
        config.scanDurationMs = 10
        configure(&config)
        immich = SandboxImmich(config: config)
        try immich.start()
        for file in files { try touch(file) }
    }

    deinit {
        immich.stop()
        try? FileManager.default.removeItem(at: root)
    }

    func touch(_ relative: String, modified: Date? = nil) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data())
        if let modified { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path) }
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    struct Reply {
        var status: Int
        var json: SandboxJSON?
        var headers: [String: String]
        var body: Data
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    func call(_ method: String, _ path: String, _ body: SandboxJSON? = nil, key: String? = "sandbox-api-key") async throws -> Reply {
        var request = HTTPRequest(method: method, url: URL(string: immich.baseURL + path)!, body: body?.encoded())
        if let key { request.headers["x-api-key"] = key }
        let response = try await client.send(request)
        let data = response.body
        return Reply(status: response.status, json: data.isEmpty ? nil : SandboxJSON.parse(data), headers: response.headers, body: data)
    }

    /// Scans the default library and waits for the job.
    func scan() async throws {
        let reply = try await call("POST", "/api/libraries/\(immich.libraryId)/scan")
        precondition(reply.status == 204, "scan answered \(reply.status)")
        let idle = await immich.idle(timeout: 10)
        precondition(idle)
    }

    func search(_ body: SandboxJSON) async throws -> [SandboxJSON] {
        let reply = try await call("POST", "/api/search/metadata", body)
        return reply.json?["assets"]?["items"]?.arrayValue ?? []
    }

    /// Asset id by file name (relative path), looked up through the state dump.
    func assetId(_ relative: String) -> String {
        let state = SandboxJSON.parse(immich.stateJSON())!
        let target = path(relative)
        return state["assets"]!.arrayValue!.first { $0["originalPath"]?.stringValue == target }!["id"]!.stringValue!
    }

    func asset(_ id: String) -> SandboxJSON {
        let state = SandboxJSON.parse(immich.stateJSON())!
        return state["assets"]!.arrayValue!.first { $0["id"]?.stringValue == id }!
    }
}
