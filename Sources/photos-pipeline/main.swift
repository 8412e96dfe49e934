// The release build's one binary for the seven commands (busybox-style): installed under each
// command's name (hard links), it runs the command its name says. Seven statically linked
// binaries would each carry the Swift runtime and Foundation (~60 MB apiece); this is one.
// `photos-pipeline COMMAND [ARGUMENTS…]` works too.
import Foundation
import Shared

var arguments = Array(CommandLine.arguments.dropFirst())
var name = URL(fileURLWithPath: CommandLine.arguments.first ?? "").lastPathComponent
if PipelineCommands.named(name) == nil, let first = arguments.first, PipelineCommands.named(first) != nil {
    name = first
    arguments.removeFirst()
}
guard let command = PipelineCommands.named(name) else {
    let names = PipelineCommands.all.map(\.spec.name).joined(separator: ", ")
    switch arguments.first {
    case "--version":
        print("photos-pipeline \(ToolVersion.description)")
        exit(0)
    case nil, "--help", "-h":
        print("usage: photos-pipeline COMMAND [ARGUMENTS…], or run it under a command's name (a link): \(names)")
        exit(0)
    default:
        FileHandle.standardError.write(Data("photos-pipeline: error: unknown command '\(arguments[0])' (\(names))\n".utf8))
        exit(2)
    }
}
if name == "icloudpd" { MallocArenas.limit(to: 2) }  // as Sources/icloudpd/main.swift does
exit(await command.main(arguments))
