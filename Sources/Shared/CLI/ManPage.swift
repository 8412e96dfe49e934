/// Renders a command's man page (man(7) roff) from its `CommandSpec`, the source `--help` and
/// the completion scripts come from: name, synopsis, description, arguments, every visible
/// option (with its default, environment variable and repeatability, as `--help` shows them),
/// environment, files, exit status, examples and the other commands of the suite. The pages in
/// man/man1/ are this output (`<command> --man-page`), checked by a test.
public enum ManPage {
    /// The commands that come together, for SEE ALSO.
    public static let suite = ["icloudpd", "immich-batch", "immich-scan", "immich-stack", "immich-fav", "immich-album", "immich-trash", "photos-sandbox"]

    public static func render(_ spec: CommandSpec) -> String {
        var lines: [String] = [
            #".\" -*- coding: UTF-8 -*-"#,
            #".\" Generated from the option table of \#(spec.name) (\#(spec.name) --man-page); do not edit."#,
            ".TH \(quoted(spec.name.uppercased())) 1 \"\" \(quoted("photos-pipeline \(ToolVersion.string)")) \"User Commands\"",
            ".nh",  // no hyphenation, ragged right: option names and paths stay whole
            ".ad l",
            ".SH NAME",
            "\(escape(spec.name)) \\- \(escape(spec.summary))",
            ".SH SYNOPSIS",
            synopsis(spec),
        ]
        if !spec.discussion.isEmpty {
            lines.append(".SH DESCRIPTION")
            lines.append(contentsOf: paragraphs(spec.discussion))
        }
        if !spec.arguments.isEmpty {
            lines.append(".SH ARGUMENTS")
            for argument in spec.arguments {
                lines.append(contentsOf: [".TP", "\\fI\(escape(argument.display))\\fR", escape(argument.help)])
            }
        }
        lines.append(".SH OPTIONS")
        for option in spec.options where !option.hidden {
            var label = option.short.map { "\\fB\(escape("-\($0)"))\\fR, " } ?? ""
            label += "\\fB\(escape("--\(option.name)"))\\fR"
            switch option.arity {
            case .flag: break
            case .value, .repeated: label += " \\fI\(escape(option.valueName))\\fR"
            case .optionalValue: label += " [\\fI\(escape(option.valueName))\\fR]"
            }
            lines.append(contentsOf: [".TP", label])
            lines.append(contentsOf: option.help.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }
                .joined(separator: "\n.br\n").split(separator: "\n").map(String.init))
            var notes: [String] = []
            if let defaultDescription = option.defaultDescription { notes.append("Default: \(escape(defaultDescription)).") }
            if let environment = option.environment { notes.append("Environment: \\fB\(escape(environment))\\fR.") }
            if option.arity == .repeated { notes.append("Repeatable.") }
            if !notes.isEmpty { lines.append(notes.joined(separator: " ")) }
        }
        let optionVariables = spec.options.filter { !$0.hidden }.compactMap { option in option.environment.map { (option, $0) } }
        if !optionVariables.isEmpty || !spec.environment.isEmpty {
            lines.append(".SH ENVIRONMENT")
            for (option, variable) in optionVariables {
                lines.append(contentsOf: [".TP", "\\fB\(escape(variable))\\fR",
                                          "The value of \\fB\(escape("--\(option.name)"))\\fR when the option is not given."])
            }
            for variable in spec.environment {
                lines.append(contentsOf: [".TP", "\\fB\(escape(variable.name))\\fR", escape(variable.meaning)])
            }
        }
        if !spec.files.isEmpty {
            lines.append(".SH FILES")
            for file in spec.files { lines.append(contentsOf: [".TP", "\\fI\(escape(file.path))\\fR", escape(file.meaning)]) }
        }
        lines.append(".SH EXIT STATUS")
        for code in ExitCode.allCases { lines.append(contentsOf: [".TP", "\\fB\(code.rawValue)\\fR", escape(code.meaning)]) }
        if !spec.examples.isEmpty {
            lines.append(".SH EXAMPLES")
            for example in spec.examples {
                lines.append(contentsOf: [".PP", ".nf", ".RS 4", escape(example.command), ".RE", ".fi", ".RS 4", escape(example.explanation), ".RE"])
            }
        }
        lines.append(".SH SEE ALSO")
        let others = suite.filter { $0 != spec.name }
        for (index, name) in others.enumerated() {
            lines.append(".BR \(escape(name)) (1)\(index < others.count - 1 ? "," : "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The usage line, the command's own name in bold wherever it starts a command.
    static func synopsis(_ spec: CommandSpec) -> String {
        let words = spec.usage.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let rendered = words.map { $0 == spec.name ? "\\fB\(escape($0))\\fR" : escape($0) }
        return rendered.joined(separator: " ")
    }

    static func paragraphs(_ text: String) -> [String] {
        text.split(separator: "\n").flatMap { [".PP", escape(String($0))] }
    }

    static func quoted(_ text: String) -> String { "\"\(escape(text))\"" }

    /// Text as roff reads it literally: backslashes and hyphens escaped (an option name stays
    /// a copyable ASCII minus), no line starting with a control character, a break point after
    /// each comma inside a word, and the few
    /// non-ASCII characters the help uses as groff's named glyphs, so that the page renders
    /// the same under a C locale.
    static func escape(_ text: String) -> String {
        var out = ""
        var previous: Character = " "
        for character in text {
            // A comma inside a long token (a JSON example) is a place to break the line.
            if previous == ",", character != " " { out += "\\:" }
            previous = character
            switch character {
            case "\\": out += "\\e"
            case "-": out += "\\-"
            case "—": out += "\\(em"
            case "–": out += "\\(en"
            case "…": out += "\\&..."
            case "→": out += "\\(->"
            case "←": out += "\\(<-"
            case "≥": out += "\\(>="
            case "≤": out += "\\(<="
            case "×": out += "\\(mu"
            case "‘", "’": out += "'"
            case "“", "”": out += "\""
            default:
                if character.isASCII {
                    out.append(character)
                } else {
                    for scalar in character.unicodeScalars {
                        out += scalar.isASCII ? String(scalar) : "\\[u\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4))]"
                    }
                }
            }
        }
        if let first = out.first, first == "." || first == "'" { out = "\\&" + out }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
