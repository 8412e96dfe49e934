import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Sandbox

/// An in-process sandbox on an ephemeral port plus a tiny JSON client for it.
final class SandboxFixture: @unchecked Sendable {
    let immich: SandboxImmich
    let root: URL
    let session: URLSession

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
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        session = URLSession(configuration: configuration)
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
        var headers: [AnyHashable: Any]
        var body: Data
        func header(_ name: String) -> String? {
            headers.first { ($0.key as? String)?.lowercased() == name.lowercased() }?.value as? String
        }
    }

    func call(_ method: String, _ path: String, _ body: SandboxJSON? = nil, key: String? = "sandbox-api-key") async throws -> Reply {
        var request = URLRequest(url: URL(string: immich.baseURL + path)!)
        request.httpMethod = method
        if let key { request.setValue(key, forHTTPHeaderField: "x-api-key") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body.encoded()
        }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        return Reply(status: http.statusCode, json: data.isEmpty ? nil : SandboxJSON.parse(data), headers: http.allHeaderFields, body: data)
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
