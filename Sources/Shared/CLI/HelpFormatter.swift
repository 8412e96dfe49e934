import Foundation

/// Renders `--help` from a `CommandSpec`: purpose, usage, arguments, options aligned at one
/// column, other environment variables, files, examples, and the exit codes (as gron and jq
/// list them). `ManPage` renders the same sections from the same spec.
public enum HelpFormatter {
    static let column = 30

    public static func help(for spec: CommandSpec, width: Int = 100) -> String {
        var lines: [String] = []
        lines.append("\(spec.name) — \(spec.summary)")
        lines.append("")
        lines.append("Usage: \(spec.usage)")
        if !spec.discussion.isEmpty {
            lines.append("")
            lines.append(contentsOf: wrap(spec.discussion, width: width, indent: 0))
        }
        if !spec.arguments.isEmpty {
            lines.append("")
            lines.append("Arguments:")
            for argument in spec.arguments { lines.append(contentsOf: entry(argument.display, argument.help, width: width)) }
        }
        lines.append("")
        lines.append("Options:")
        for option in spec.options where !option.hidden {
            var label = option.short.map { "-\($0), " } ?? ""
            label += option.display
            var text = option.help
            var notes: [String] = []
            if let defaultDescription = option.defaultDescription { notes.append("default: \(defaultDescription)") }
            if let environment = option.environment { notes.append("env: \(environment)") }
            if option.arity == .repeated { notes.append("repeatable") }
            if !notes.isEmpty { text += " [\(notes.joined(separator: "; "))]" }
            lines.append(contentsOf: entry(label, text, width: width))
        }
        if !spec.environment.isEmpty {
            lines.append("")
            lines.append("Environment:")
            for variable in spec.environment { lines.append(contentsOf: entry(variable.name, variable.meaning, width: width)) }
        }
        if !spec.files.isEmpty {
            lines.append("")
            lines.append("Files:")
            for file in spec.files {
                lines.append("  \(file.path)")
                lines.append(contentsOf: wrap(file.meaning, width: width, indent: 6))
            }
        }
        if !spec.examples.isEmpty {
            lines.append("")
            lines.append("Examples:")
            for example in spec.examples {
                lines.append("  \(example.command)")
                lines.append(contentsOf: wrap(example.explanation, width: width, indent: 6))
            }
        }
        lines.append("")
        lines.append("Exit codes:")
        for code in ExitCode.allCases { lines.append("  \(code.rawValue)  \(code.meaning)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func entry(_ label: String, _ text: String, width: Int) -> [String] {
        let padded = "  " + label
        let body = wrap(text, width: width, indent: column)
        if padded.count + 2 <= column {
            var first = body[0]
            let start = first.index(first.startIndex, offsetBy: padded.count)
            first.replaceSubrange(first.startIndex..<start, with: padded)
            return [first] + body.dropFirst()
        }
        return [padded] + body
    }

    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        var result: [String] = []
        let prefix = String(repeating: " ", count: indent)
        for paragraph in text.components(separatedBy: "\n") {
            var line = prefix
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                if line.count > indent && line.count + 1 + word.count > width {
                    result.append(line)
                    line = prefix
                }
                line += (line.count > indent ? " " : "") + word
            }
            result.append(line)
        }
        return result
    }
}
