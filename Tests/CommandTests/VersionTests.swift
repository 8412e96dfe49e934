import Foundation
import Shared
import Testing

/// `--version` names the command, the version and the commit (unknown for a plain
/// `swift build`; scripts/install.sh records it, which scripts/check-install.sh checks).
@Suite struct VersionTests {
    @Test(arguments: ["icloudpd", "immich-batch", "immich-scan", "immich-stack", "immich-fav", "immich-album", "immich-trash", "photos-sandbox"])
    func versionNamesTheCommandVersionAndCommit(_ tool: String) throws {
        let result = try ToolRunner.run(tool, ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "\(tool) \(ToolVersion.string) (commit \(ToolVersion.commit ?? "unknown: a development build; scripts/install.sh records it"))\n")
    }

    /// The release's single binary runs the command its name (or first argument) says.
    @Test func multiCallBinaryDispatchesOnItsName() throws {
        let root = NSTemporaryDirectory() + "multicall-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.linkItem(atPath: ToolRunner.url("photos-pipeline").path, toPath: root + "/immich-fav")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: root + "/immich-fav")
        process.arguments = ["--version"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.hasPrefix("immich-fav \(ToolVersion.string) "))
        let direct = try ToolRunner.run("photos-pipeline", ["immich-album", "--help"])
        #expect(direct.status == 0 && direct.stdout.hasPrefix("immich-album — "))
        let unknown = try ToolRunner.run("photos-pipeline", ["immich-nothing"])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown command 'immich-nothing'"))
    }
}
