import Foundation
import Testing

/// `photos-sandbox --tls-cert-out`: both fakes over HTTPS, trusted through the written PEM.
@Suite struct PhotosSandboxTLSTests {
    @Test func servesHTTPSWithTheWrittenCertificate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pem = directory.appendingPathComponent("ca.pem").path

        let process = Process()
        process.executableURL = ToolRunner.url("photos-sandbox")
        process.arguments = ["--icloud", "--icloud-photos", "4", "--tls-cert-out", pem, "--exit-on-stdin-eof"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = try await ToolRunner.onThread { () -> String in
            var bytes: [UInt8] = []
            while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { bytes.append(byte) }
            return String(decoding: bytes, as: UTF8.self)
        }
        let announcement = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let immich = try #require(announcement["immich"] as? String)
        let icloud = try #require((announcement["icloud"] as? [String: Any])?["url"] as? String)
        #expect(announcement["caFile"] as? String == pem)
        #expect(immich.hasPrefix("https://127.0.0.1:") && icloud.hasPrefix("https://127.0.0.1:"))

        let result = try await ToolRunner.python("""
            import json, ssl, sys, urllib.request
            immich, icloud, cafile = sys.argv[1:4]
            context = ssl.create_default_context(cafile=cafile)
            def get(url):
                with urllib.request.urlopen(url, context=context, timeout=10) as response:
                    return json.loads(response.read())
            print(get(immich + "/api/server/ping")["res"])
            print(sorted(get(icloud + "/_sandbox/counts")))
            """, [immich, icloud, pem])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["pong", "[]"])

        try input.fileHandleForWriting.close()
        let status = try await ToolRunner.onThread { process.waitUntilExit(); return process.terminationStatus }
        #expect(status == 0)
    }
}

extension ToolRunner {
    /// `python3 -c SCRIPT ARGS…`: a client independent of ours, with its own TLS checks.
    static func python(_ script: String, _ arguments: [String]) async throws -> Result {
        try await onThread {
            try run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments,
                    environment: ProcessInfo.processInfo.environment)
        }
    }
}
