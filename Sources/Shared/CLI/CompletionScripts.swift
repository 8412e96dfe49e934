/// Generates bash, zsh and fish completion scripts from a `CommandSpec`. The files in
/// `completions/` are these scripts, checked by a test so they never go stale.
public enum CompletionScripts {
    public static let shells = ["bash", "zsh", "fish"]

    public static func script(for spec: CommandSpec, shell: String) -> String? {
        switch shell {
        case "bash": bash(spec)
        case "zsh": zsh(spec)
        case "fish": fish(spec)
        default: nil
        }
    }

    static func functionName(_ spec: CommandSpec) -> String {
        "_" + spec.name.replacingOccurrences(of: "-", with: "_")
    }

    static func bash(_ spec: CommandSpec) -> String {
        let visible = spec.options.filter { !$0.hidden }
        let words = visible.flatMap { option in [option.short.map { "-\($0)" }, "--\(option.name)"].compactMap { $0 } }
        var cases: [String] = []
        for option in visible where option.arity != .flag {
            let pattern = ([option.short.map { "-\($0)" }].compactMap { $0 } + ["--\(option.name)"]).joined(separator: "|")
            switch option.completion {
            case .file: cases.append("        \(pattern)) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;")
            case .directory: cases.append("        \(pattern)) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;")
            case .values(let values):
                cases.append("        \(pattern)) COMPREPLY=($(compgen -W \"\(values.joined(separator: " "))\" -- \"$cur\")); return ;;")
            case .none:
                if option.arity != .optionalValue { cases.append("        \(pattern)) return ;;") }
            }
        }
        return """
            # bash completion for \(spec.name) (generated from its option table; do not edit)
            \(functionName(spec))() {
                local cur prev
                cur="${COMP_WORDS[COMP_CWORD]}"
                prev="${COMP_WORDS[COMP_CWORD-1]}"
                case "$prev" in
            \(cases.joined(separator: "\n"))
                esac
                if [[ "$cur" == -* ]]; then
                    COMPREPLY=($(compgen -W "\(words.joined(separator: " "))" -- "$cur"))
                fi
            }
            complete -F \(functionName(spec)) \(spec.name)

            """
    }

    static func zshEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "'", with: "'\\''").replacingOccurrences(of: "[", with: "\\[")
            .replacingOccurrences(of: "]", with: "\\]").replacingOccurrences(of: ":", with: "\\:")
    }

    static func zsh(_ spec: CommandSpec) -> String {
        var specs: [String] = []
        for option in spec.options where !option.hidden {
            let help = zshEscape(firstSentence(option.help))
            let action: String
            switch option.completion {
            case .file: action = ":\(option.valueName.lowercased()):_files"
            case .directory: action = ":\(option.valueName.lowercased()):_files -/"
            case .values(let values): action = ":\(option.valueName.lowercased()):(\(values.joined(separator: " ")))"
            case .none: action = ":\(option.valueName.lowercased()): "
            }
            let repeatMark = option.arity == .repeated ? "*" : ""
            let names = option.short.map { ["-\($0)", "--\(option.name)"] } ?? ["--\(option.name)"]
            for name in names {
                switch option.arity {
                case .flag: specs.append("'\(name)[\(help)]'")
                case .value, .repeated: specs.append("'\(repeatMark)\(name)=[\(help)]\(action)'")
                case .optionalValue: specs.append("'\(name)=-[\(help)]:\(action.dropFirst())'")
                }
            }
        }
        return """
            #compdef \(spec.name)
            # zsh completion for \(spec.name) (generated from its option table; do not edit)
            _arguments -s \\
              \(specs.joined(separator: " \\\n  "))

            """
    }

    static func fish(_ spec: CommandSpec) -> String {
        var lines = ["# fish completion for \(spec.name) (generated from its option table; do not edit)"]
        for option in spec.options where !option.hidden {
            var line = "complete -c \(spec.name)"
            if let short = option.short { line += " -s \(short)" }
            line += " -l \(option.name)"
            switch option.completion {
            case .file: line += " -r -F"
            case .directory: line += " -r -a '(__fish_complete_directories)'"
            case .values(let values): line += " -x -a '\(values.joined(separator: " "))'"
            case .none: if option.arity == .value || option.arity == .repeated { line += " -x" }
            }
            line += " -d '\(firstSentence(option.help).replacingOccurrences(of: "'", with: "\\'"))'"
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The text up to the first ". " that starts a new sentence (so "e.g. x" stays whole).
    static func firstSentence(_ text: String) -> String {
        var searchStart = text.startIndex
        while let end = text.range(of: ". ", range: searchStart..<text.endIndex) {
            if let next = text[end.upperBound...].first, next.isUppercase { return String(text[..<end.lowerBound]) }
            searchStart = end.upperBound
        }
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }
}
