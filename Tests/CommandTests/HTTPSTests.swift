import Foundation
import Sandbox
import Shared
import Testing

/// Every command over HTTPS with certificate verification: the sandbox servers serve TLS with a
/// self-signed certificate made for the test, which clients trust only when told to
/// (`--ca-file`/`IMMICH_CA_FILE` for Immich, `SSL_CERT_FILE` for iCloud as OpenSSL's tools read it).
@Suite struct HTTPSTests {
    @Test func immichStepsVerifyTheServerCertificate() async throws {
        let identity = try TLSIdentity.selfSigned()
        let workspace = try ImmichWorkspace(tls: identity)
        #expect(workspace.immich.baseURL.hasPrefix("https://127.0.0.1:"))
        let caFile = workspace.root + "/ca.pem"
        try identity.writeCertificatePEM(to: caFile)
        let input = try workspace.photo(1)

        let trusted = try await ToolRunner.run("immich-scan", ["--ca-file", caFile, "--poll-interval", "0.05"], stdin: input,
                                               environment: workspace.environment)
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(workspace.parseLines(trusted.stdout).first?["files"]?["original"]?["asset"] != nil)

        let fromEnvironment = try await ToolRunner.run("immich-fav", [], stdin: trusted.stdout,
                                                       environment: workspace.environment.merging(["IMMICH_CA_FILE": caFile]) { $1 })
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")

        let untrusted = try await ToolRunner.run("immich-scan", [], stdin: input, environment: workspace.environment)
        #expect(untrusted.status == ExitCode.runtime.rawValue)
        let lines = untrusted.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(untrusted.stderr)")
        #expect(untrusted.stderr.contains("TLS certificate of 127.0.0.1 is not trusted"))
        #expect(untrusted.stderr.contains("--ca-file"))
        #expect(untrusted.stdout.isEmpty)

        let missing = try await ToolRunner.run("immich-scan", ["--ca-file", workspace.root + "/nope.pem"], stdin: input,
                                               environment: workspace.environment)
        #expect(missing.status == ExitCode.usage.rawValue)
        #expect(missing.stderr.contains("--ca-file \(workspace.root)/nope.pem: No such file or directory"))
    }

    @Test func icloudpdDownloadsAndRunsThePluginOverHTTPS() async throws {
        let identity = try TLSIdentity.selfSigned()
        let icloud = try ICloudPDDownloadFixture(photos: 12, tls: identity)
        let immich = try SandboxImmich.started(importPath: icloud.root, scanDurationMs: 30, tls: identity)
        defer { immich.stop() }
        let caFile = icloud.root + "/ca.pem"
        try identity.writeCertificatePEM(to: caFile)
        #expect(icloud.icloud.baseURL.hasPrefix("https://"))

        let refused = try await icloud.run(["--size", "original"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("not trusted"), "\(refused.stderr)")

        let plugin = ["--size", "original", "--size", "adjusted", "--plugin", "immich", "--immich-server-url", immich.baseURL,
                      "--immich-library-id", immich.libraryId, "--immich-ca-file", caFile, "--immich-stack-media",
                      "--immich-poll-interval", "0.05", "--immich-batch-log-file", icloud.root + "/pending.json"]
        let run = try await icloud.run(plugin, environment: ["SSL_CERT_FILE": caFile, "IMMICH_API_KEY": immich.apiKey, "HOME": icloud.root])
        #expect(run.status == 0 || run.status == ExitCode.partial.rawValue, "\(run.stderr.suffix(800))")
        #expect(icloud.count("GET /content") > 0)
        let state = try JSON.parse(Array(immich.stateJSON()))
        // Every downloaded file is an asset but the hidden ones ('.jpg'), which Immich's scan never imports.
        let visible = icloud.files().filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
        #expect(visible.count >= 12)
        #expect(state["assets"]?.arrayValue?.count == visible.count)
        #expect((state["stacks"]?.arrayValue?.count ?? 0) > 0)
    }
}
