import Foundation
import Shared
import Testing

/// `--version` names the command, the version and the commit (unknown for a plain
/// `swift build`; a release build records it).
@Suite struct VersionTests {
    @Test(arguments: ["icloudpd", "immich-batch", "immich-scan", "immich-stack", "immich-fav", "immich-album", "photos-sandbox"])
    func versionNamesTheCommandVersionAndCommit(_ tool: String) throws {
        let result = try ToolRunner.run(tool, ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "\(tool) \(ToolVersion.string) (commit \(ToolVersion.commit ?? "unknown: a development build; scripts/install.sh records it"))\n")
    }
}
