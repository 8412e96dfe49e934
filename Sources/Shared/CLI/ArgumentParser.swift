import Foundation

/// What the user asked for, after parsing argv against a `CommandSpec`. Values are read through
/// the typed options (`arguments[ImmichScanOptions.scanTimeout]`, see `CommandOption`); lookups
/// fall back to the option's environment variable (argv > environment > default), so secrets
/// can stay out of `ps`.
public struct ParsedArguments: Sendable {
    public let spec: CommandSpec
    /// Occurrences per option name, in order; a flag or a valueless optional occurrence is `nil`.
    public private(set) var occurrences: [String: [String?]] = [:]
    public private(set) var positionals: [String] = []
    public let environment: [String: String]

    init(spec: CommandSpec, environment: [String: String]) {
        self.spec = spec
        self.environment = environment
    }

    mutating func record(_ name: String, _ value: String?) { occurrences[name, default: []].append(value) }
    mutating func addPositional(_ value: String) { positionals.append(value) }

    // Lookups by name, for the typed options (`CommandOption`) that read them.

    func isSet(_ name: String) -> Bool { occurrences[name] != nil }

    func flag(_ name: String) -> Bool {
        if occurrences[name] != nil { return true }
        if let variable = spec.option(named: name)?.environment, let raw = environment[variable] {
            return ["1", "true", "yes", "on"].contains(raw.lowercased())
        }
        return false
    }

    /// The last value given on the command line, else the environment variable, else nil.
    func value(_ name: String) -> String? {
        if let given = occurrences[name]?.last { return given }
        if let variable = spec.option(named: name)?.environment, let raw = environment[variable], !raw.isEmpty { return raw }
        return nil
    }

    func values(_ name: String) -> [String] { (occurrences[name] ?? []).compactMap { $0 } }

    public enum OptionalValue: Sendable, Equatable {
        case absent
        case present(String?)
    }

    func optionalValue(_ name: String) -> OptionalValue {
        guard let given = occurrences[name] else { return .absent }
        return .present(given.last ?? nil)
    }
}

public enum ArgumentParser {
    public static func parse(_ argv: [String], spec: CommandSpec, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ToolError) -> ParsedArguments
    {
        var parsed = ParsedArguments(spec: spec, environment: environment)
        var index = 0
        var optionsEnded = false
        func fail(_ message: String) -> ToolError {
            .usage(message, hint: "Usage: \(spec.usage)\nSee '\(spec.name) --help'.")
        }
        while index < argv.count {
            let token = argv[index]
            index += 1
            if optionsEnded || token == "-" || !token.hasPrefix("-") {
                parsed.addPositional(token)
                continue
            }
            if token == "--" { optionsEnded = true; continue }

            let option: OptionSpec
            var inlineValue: String?
            if token.hasPrefix("--") {
                let body = token.dropFirst(2)
                let name: Substring
                if let equals = body.firstIndex(of: "=") {
                    name = body[..<equals]
                    inlineValue = String(body[body.index(after: equals)...])
                } else {
                    name = body
                }
                guard let found = spec.option(named: String(name)) else {
                    throw fail("unknown option '--\(name)'\(suggestion(for: String(name), in: spec))")
                }
                option = found
            } else {
                let letters = Array(token.dropFirst())
                guard let found = spec.options.first(where: { $0.short == letters.first }) else {
                    throw fail("unknown option '\(token)'")
                }
                option = found
                if letters.count > 1 {
                    guard option.arity != .flag else { throw fail("unknown option '\(token)'") }
                    inlineValue = String(letters.dropFirst())
                }
            }

            switch option.arity {
            case .flag:
                if inlineValue != nil { throw fail("'--\(option.name)' takes no value") }
                parsed.record(option.name, nil)
            case .value, .repeated:
                if let inlineValue {
                    parsed.record(option.name, inlineValue)
                } else if index < argv.count {
                    parsed.record(option.name, argv[index])
                    index += 1
                } else {
                    throw fail("missing value for '\(option.display)'")
                }
            case .optionalValue:
                if let inlineValue {
                    parsed.record(option.name, inlineValue)
                } else if index < argv.count, !argv[index].hasPrefix("-") {
                    parsed.record(option.name, argv[index])
                    index += 1
                } else {
                    parsed.record(option.name, nil)
                }
            }
        }
        let maxPositionals = spec.arguments.contains(where: \.repeated) ? Int.max : spec.arguments.count
        if parsed.positionals.count > maxPositionals {
            let extra = parsed.positionals[maxPositionals]
            throw fail("unexpected argument '\(extra)'")
        }
        if !parsed.isSet(CommandSpec.help) && !parsed.isSet(CommandSpec.version) && !parsed.isSet(CommandSpec.completions) {
            let required = spec.arguments.filter { !$0.optional }.count
            if parsed.positionals.count < required {
                throw fail("missing argument \(spec.arguments[parsed.positionals.count].name)")
            }
        }
        return parsed
    }

    /// " (did you mean '--x'?)" for a near miss.
    static func suggestion(for name: String, in spec: CommandSpec) -> String {
        let candidates = spec.options.filter { !$0.hidden }.map(\.name)
        let best = candidates.min { editDistance($0, name) < editDistance($1, name) }
        if let best, editDistance(best, name) <= max(2, name.count / 4) { return " (did you mean '--\(best)'?)" }
        return ""
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
