import Foundation
import Sandbox
import Shared
import Testing

/// The committed completion files are exactly what the option tables generate, for every
/// command and shell (scripts/update-completions.sh rewrites them), and there are no others.
@Suite struct CompletionFilesTests {
    static let files = ["bash": "bash/%@", "zsh": "zsh/_%@", "fish": "fish/%@.fish"]

    @Test(arguments: ManPage.suite, ["bash", "zsh", "fish"])
    func completionsAreCurrent(_ command: String, _ shell: String) throws {
        let name = String(format: Self.files[shell]!, command)
        let committed = try String(contentsOf: CommandSpecs.root.appendingPathComponent("completions/" + name), encoding: .utf8)
        let generated = try #require(CompletionScripts.script(for: try CommandSpecs.spec(command), shell: shell))
        #expect(committed == generated, "completions/\(name) is stale: run scripts/update-completions.sh")
    }

    @Test func everyCommandHasItsCompletionsAndNoOtherFileIsThere() throws {
        #expect(CommandSpecs.all.map(\.name) == ManPage.suite)
        for shell in ["bash", "zsh", "fish"] {
            let folder = CommandSpecs.root.appendingPathComponent("completions/" + shell).path
            let present = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
            let expected = Set(ManPage.suite.map { (String(format: Self.files[shell]!, $0) as NSString).lastPathComponent })
            #expect(present == expected, "completions/\(shell)")
        }
    }

    /// Each shell parses its scripts (`-n`: read, do not run); zsh and fish only where installed.
    @Test(arguments: ["bash", "zsh", "fish"]) func shellsParseTheScripts(_ shell: String) throws {
        guard let path = ["/bin/\(shell)", "/usr/bin/\(shell)"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return }
        for command in ManPage.suite {
            let file = CommandSpecs.root.appendingPathComponent("completions/" + String(format: Self.files[shell]!, command)).path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["-n", file]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0 && message.isEmpty, "\(shell) -n \(file): \(message)")
        }
    }
}
