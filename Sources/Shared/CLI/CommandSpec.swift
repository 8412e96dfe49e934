import CBuildInfo

// One declaration per command: its options and arguments. Parsing, `--help`, usage errors
// and the bash/zsh/fish completion scripts are all generated from it, so they cannot drift.

public enum ValueCompletion: Sendable, Equatable {
    case none
    case file
    case directory
    case values([String])
}

public struct OptionSpec: Sendable {
    public enum Arity: Sendable, Equatable {
        /// `--flag`
        case flag
        /// `--name VALUE` or `--name=VALUE`; the last one wins.
        case value
        /// `--name` alone, or `--name VALUE` when the next token does not start with `-`.
        case optionalValue
        /// `--name VALUE`, repeatable; values accumulate in order.
        case repeated
    }

    public let name: String
    public let short: Character?
    public let arity: Arity
    public let valueName: String
    public let help: String
    public let environment: String?
    public let defaultDescription: String?
    public let completion: ValueCompletion
    /// Accepted for compatibility but left out of `--help`.
    public let hidden: Bool

    public init(
        _ name: String, short: Character? = nil, _ arity: Arity = .flag, valueName: String = "VALUE",
        help: String, environment: String? = nil, default defaultDescription: String? = nil,
        completion: ValueCompletion = .none, hidden: Bool = false
    ) {
        self.name = name
        self.short = short
        self.arity = arity
        self.valueName = valueName
        self.help = help
        self.environment = environment
        self.defaultDescription = defaultDescription
        self.completion = completion
        self.hidden = hidden
    }

    /// `--name VALUE`, `--name [VALUE]` or `--name` as shown in help and errors.
    public var display: String {
        switch arity {
        case .flag: "--\(name)"
        case .value, .repeated: "--\(name) \(valueName)"
        case .optionalValue: "--\(name) [\(valueName)]"
        }
    }
}

public struct ArgumentSpec: Sendable {
    public let name: String
    public let help: String
    public let optional: Bool
    public let repeated: Bool
    public let completion: ValueCompletion

    public init(_ name: String, help: String, optional: Bool = true, repeated: Bool = false, completion: ValueCompletion = .none) {
        self.name = name
        self.help = help
        self.optional = optional
        self.repeated = repeated
        self.completion = completion
    }

    public var display: String {
        let base = repeated ? "\(name)…" : name
        return optional ? "[\(base)]" : base
    }
}

public struct CommandSpec: Sendable {
    public let name: String
    public let summary: String
    public let usage: String
    public let discussion: String
    public let arguments: [ArgumentSpec]
    public let options: [OptionSpec]
    public let examples: [(command: String, explanation: String)]
    /// Environment variables the command reads besides its options' (those are listed with them).
    public let environment: [(name: String, meaning: String)]
    /// The files the command reads or writes by default, with what they hold.
    public let files: [(path: String, meaning: String)]

    public init(
        name: String, summary: String, usage: String, discussion: String = "", arguments: [ArgumentSpec] = [],
        options: [any OptionDeclaration], examples: [(String, String)] = [],
        environment: [(String, String)] = [], files: [(String, String)] = [],
        standardOptions: [any OptionDeclaration] = CommandSpec.standardOptions
    ) {
        self.name = name
        self.summary = summary
        self.usage = usage
        self.discussion = discussion
        self.arguments = arguments
        self.options = (options + standardOptions).map(\.spec)
        self.examples = examples.map { (command: $0.0, explanation: $0.1) }
        self.environment = environment.map { (name: $0.0, meaning: $0.1) }
        self.files = files.map { (path: $0.0, meaning: $0.1) }
    }

    /// Options every command has (`CommandMain` handles them).
    public static let standardOptions: [any OptionDeclaration] = [logLevel, completions, version, help, manPage]

    public static let logLevel = Option<LogLevel>(
        "log-level", valueName: "LEVEL", help: "How much to log on stderr: debug, info, warning, error.", default: .info,
        completion: .values(LogLevel.allCases.map(\.name)))
    public static let completions = PlainOption<String?>(
        "completions", valueName: "SHELL", help: "Print the completion script for bash, zsh or fish, then exit.",
        completion: .values(CompletionScripts.shells))
    public static let version = Flag("version", help: "Print the version, then exit.")
    public static let help = Flag("help", short: "h", help: "Show this help, then exit.")
    /// What man/man1/<command>.1 is (scripts/update-man-pages.sh writes it); hidden, as users
    /// get the page itself.
    public static let manPage = Flag("man-page", help: "Print the man page (roff) made from this option table, then exit.", hidden: true)

    public func option(named name: String) -> OptionSpec? { options.first { $0.name == name } }
}

public enum ToolVersion {
    public static let string = "0.1.0"

    /// `git describe --always --dirty` of the checkout scripts/install.sh built from; nil for a
    /// plain `swift build`.
    public static let commit: String? = {
        let commit = String(cString: photos_build_commit())
        return commit.isEmpty ? nil : commit
    }()

    /// What `--version` prints after the command's name.
    public static var description: String {
        "\(string) (commit \(commit ?? "unknown: a development build; scripts/install.sh records it"))"
    }
}
