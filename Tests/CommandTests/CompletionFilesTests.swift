import Foundation
import Sandbox
import Shared
import Testing

/// The committed completion files are exactly what the option tables generate
/// (scripts/update-completions.sh rewrites them).
@Suite struct CompletionFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["bash", "zsh", "fish"]) func icloudpdCompletionsAreCurrent(_ shell: String) throws {
        let name = ["bash": "bash/icloudpd", "zsh": "zsh/_icloudpd", "fish": "fish/icloudpd.fish"][shell]!
        let committed = try String(contentsOf: Self.root.appendingPathComponent("completions/" + name), encoding: .utf8)
        let generated = try #require(CompletionScripts.script(for: ICloudPDCommand.spec, shell: shell))
        #expect(committed == generated)
    }

    @Test(arguments: ["bash", "zsh", "fish"]) func photosSandboxCompletionsAreCurrent(_ shell: String) throws {
        let name = ["bash": "bash/photos-sandbox", "zsh": "zsh/_photos-sandbox", "fish": "fish/photos-sandbox.fish"][shell]!
        let committed = try String(contentsOf: Self.root.appendingPathComponent("completions/" + name), encoding: .utf8)
        let generated = try #require(CompletionScripts.script(for: SandboxCommand.spec, shell: shell))
        #expect(committed == generated)
    }
}
