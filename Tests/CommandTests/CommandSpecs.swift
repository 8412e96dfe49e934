import Foundation
import Sandbox
import Shared
import Testing

/// The seven commands' option tables, the source of --help, the completions and the man pages.
enum CommandSpecs {
    static let all: [CommandSpec] = PipelineCommands.all.map(\.spec) + [SandboxCommand.spec]
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func spec(_ name: String) throws -> CommandSpec { try #require(all.first { $0.name == name }) }
}
