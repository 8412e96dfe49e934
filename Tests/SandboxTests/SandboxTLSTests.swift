import Foundation
@testable import Sandbox
import Shared
import Testing

/// The fake Immich and the fake iCloud over HTTPS, driven by Python with the PEM as CA file.
@Suite struct SandboxTLSTests {
    static func caFile(_ identity: TLSIdentity) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-ca-\(UUID().uuidString).pem").path
        try identity.writeCertificatePEM(to: path)
        return path
    }

    @Test func immichOverTLS() async throws {
        let identity = try TLSIdentity.selfSigned()
        let caFile = try Self.caFile(identity)
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let immich = try SandboxImmich.started(importPath: "/tmp/sandbox-tls", tls: identity)
        defer { immich.stop() }
        #expect(immich.baseURL == "https://127.0.0.1:\(immich.port)")

        let result = try await PythonClient.run("""
            import json, ssl, sys, urllib.request
            base, cafile, key = sys.argv[1:4]
            context = ssl.create_default_context(cafile=cafile)
            def get(path):
                request = urllib.request.Request(base + path, headers={"x-api-key": key})
                with urllib.request.urlopen(request, context=context, timeout=10) as response:
                    return json.loads(response.read())
            print(get("/api/server/ping")["res"])
            print(get("/api/users/me")["email"])
            """, [immich.baseURL, caFile, immich.apiKey])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["pong", "admin@sandbox.local"])
    }

    /// Endpoints, the account's web services and the content URLs in CloudKit records are all
    /// https, and a content download over TLS brings the whole file.
    @Test func icloudHandsOutHTTPSURLs() async throws {
        let identity = try TLSIdentity.selfSigned()
        let caFile = try Self.caFile(identity)
        defer { try? FileManager.default.removeItem(atPath: caFile) }
        let icloud = SandboxICloud()
        try icloud.start(tls: identity)
        defer { icloud.stop() }
        #expect(icloud.baseURL == "https://127.0.0.1:\(icloud.port)")
        #expect(icloud.endpointEnvironment.values.allSatisfy { $0.hasPrefix(icloud.baseURL) })
        // A signed-in browser's web-auth token, without running SRP in Python.
        icloud.world.withLock { $0.webTokens["wt-tls"] = "demo@sandbox.local" }

        let result = try await PythonClient.run("""
            import json, ssl, sys, urllib.request
            base, cafile = sys.argv[1:3]
            context = ssl.create_default_context(cafile=cafile)
            def call(url, body=None):
                data = None if body is None else json.dumps(body).encode()
                request = urllib.request.Request(url, data=data, headers={"Cookie": 'X-APPLE-WEBAUTH-TOKEN="v=2:t=wt-tls"'})
                with urllib.request.urlopen(request, context=context, timeout=10) as response:
                    return response.read()
            account = json.loads(call(base + "/setup/ws/1/validate", {}))
            database = account["webservices"]["ckdatabasews"]["url"]
            print("ckdatabasews", database == base)
            query = {"query": {"recordType": "CPLAssetAndMasterByAssetDateWithoutHiddenOrDeleted"},
                     "resultsLimit": 4, "zoneID": {"zoneName": "PrimarySync"}}
            records = json.loads(call(database + "/database/1/com.apple.photos.cloud/production/private/records/query", query))
            files = [field["value"] for record in records["records"] for field in record["fields"].values()
                     if isinstance(field["value"], dict) and "downloadURL" in field["value"]]
            print("urls", len(files) > 0, all(f["downloadURL"].startswith(base + "/content/") for f in files))
            content = call(files[0]["downloadURL"].replace("${f}", "IMG_0001.JPG"))
            print("content", len(content) == files[0]["size"])
            """, [icloud.baseURL, caFile])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["ckdatabasews True", "urls True True", "content True"])
    }
}
