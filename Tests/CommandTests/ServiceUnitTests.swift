import Foundation
@testable import Shared
import Testing

/// contrib/systemd/icloudpd-immich.service: `systemd-analyze verify` accepts it (pointed at the
/// built icloudpd), icloudpd accepts its command line, and it keeps its hardening.
@Suite struct ServiceUnitTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let unitPath = root.appendingPathComponent("contrib/systemd/icloudpd-immich.service").path
    static let systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func unit() throws -> String { try String(contentsOfFile: unitPath, encoding: .utf8) }

    /// The value of `key=` in the unit, continuation lines joined.
    static func setting(_ key: String, in unit: String) -> [String] {
        let joined = unit.replacingOccurrences(of: "\\\n", with: " ")
        return joined.split(separator: "\n").compactMap { line in
            line.hasPrefix(key + "=") ? String(line.dropFirst(key.count + 1)) : nil
        }
    }

    @Test(.enabled(if: systemdAnalyze != nil, "systemd-analyze is missing (Debian's systemd package; .ci/run installs it)"))
    func systemdAnalyzeVerifyAcceptsTheUnit() throws {
        let folder = NSTemporaryDirectory() + "unit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // verify checks that ExecStart's program exists: the built one stands in for /usr/local/bin's.
        let unit = try Self.unit().replacingOccurrences(of: "/usr/local/bin/icloudpd", with: ToolRunner.url("icloudpd").path)
        let path = folder + "/icloudpd-immich.service"
        try unit.write(toFile: path, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["MANPATH"] = Self.root.appendingPathComponent("man").path + ":"  // Documentation=man:icloudpd(1)
        environment["SYSTEMD_LOG_COLOR"] = "0"
        let result = try ToolRunner.run(executable: URL(fileURLWithPath: Self.systemdAnalyze!), ["verify", path],
                                        environment: environment, currentDirectory: URL(fileURLWithPath: folder))
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "systemd-analyze verify: \(result.stdout)\(result.stderr)")
    }

    @Test func icloudpdAcceptsTheUnitsCommandLine() throws {
        let command = try #require(Self.setting("ExecStart", in: try Self.unit()).first)
        var words = command.split(separator: " ").map(String.init)
        #expect(words.removeFirst() == "/usr/local/bin/icloudpd")
        words = words.map { $0 == "${ICLOUD_USERNAME}" ? "jdoe@example.com" : $0 }
        let parsed = try ArgumentParser.parse(words, spec: ICloudPDCommand.spec, environment: [:])
        #expect(try parsed[ICloudPDOptions.watchWithInterval] != nil)
        #expect(parsed[ImmichPluginOptions.plugin] == "immich")
        // The download folder is writable, and nothing else outside the state directory.
        #expect(Self.setting("ReadWritePaths", in: try Self.unit()) == [try #require(parsed[ICloudPDOptions.directory])])
        #expect(parsed[ICloudPDOptions.cookieDirectory] == "/var/lib/icloudpd")
        #expect(parsed[ImmichPluginOptions.batchLogFile].hasPrefix("/var/lib/icloudpd/"))
    }

    @Test func theUnitKeepsItsSafetySettings() throws {
        let unit = try Self.unit()
        for (key, value) in [("User", "icloudpd"), ("EnvironmentFile", "/etc/icloudpd/icloudpd.env"), ("Restart", "on-failure"),
                             ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("StateDirectory", "icloudpd")] {
            #expect(Self.setting(key, in: unit) == [value], "\(key)")
        }
        // Secrets come from the environment file only, never from the command line.
        let command = try #require(Self.setting("ExecStart", in: unit).first)
        #expect(!command.contains("--password") && !command.contains("api-key"))
    }
}
