#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// The shared `main` of every command: parse, handle --help/--version/--completions, run the
/// body, and map errors to exit codes with one clear line on stderr.
public enum CommandMain {
    public static func run(
        _ spec: CommandSpec, arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        body: @Sendable (ParsedArguments) async throws -> ExitCode
    ) async -> Int32 {
        // A closed stdout must surface as EPIPE from write(2) (handled as success), not kill us.
        signal(SIGPIPE, SIG_IGN)
        ParentDeathSignal.armIfRequested()  // a child of icloudpd --plugin dies with it
        Log.shared.program = spec.name
        do {
            let parsed = try ArgumentParser.parse(arguments, spec: spec)
            if parsed[CommandSpec.help] {
                try LineWriter.standardOutput.writeLine(Array(HelpFormatter.help(for: spec).dropLast().utf8))
                return ExitCode.ok.rawValue
            }
            if parsed[CommandSpec.version] {
                try LineWriter.standardOutput.writeLine(Array("\(spec.name) \(ToolVersion.description)".utf8))
                return ExitCode.ok.rawValue
            }
            if parsed[CommandSpec.manPage] {
                try LineWriter.standardOutput.writeLine(Array(ManPage.render(spec).dropLast().utf8))
                return ExitCode.ok.rawValue
            }
            if let shell = parsed[CommandSpec.completions] {
                guard let script = CompletionScripts.script(for: spec, shell: shell) else {
                    throw ToolError.usage("unknown shell '\(shell)' for --completions (bash, zsh or fish)")
                }
                try LineWriter.standardOutput.writeLine(Array(script.dropLast().utf8))
                return ExitCode.ok.rawValue
            }
            if parsed.isSet(CommandSpec.logLevel) { Log.shared.level = try parsed[CommandSpec.logLevel] }
            return try await body(parsed).rawValue
        } catch let error as ToolError {
            return report(error, spec: spec)
        } catch {
            return report(ToolError.runtime("\(error)"), spec: spec)
        }
    }

    static func report(_ error: ToolError, spec: CommandSpec) -> Int32 {
        if error.code == .ok { return 0 }  // output closed by the reader
        Log.shared.emit("\(spec.name): error: \(error.message)")
        if let hint = error.hint { Log.shared.emit(hint) }
        return error.code.rawValue
    }
}
