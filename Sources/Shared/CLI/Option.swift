import Foundation

// Typed options. Each option is a named constant in its command's option table:
//
//     static let scanTimeout = Option<Seconds>("scan-timeout", valueName: "SECONDS", help: "…",
//                                              environment: "IMMICH_SCAN_TIMEOUT", default: LibraryScanner.defaultTimeout)
//
// and its value is read through that constant: `try arguments[ImmichScanOptions.scanTimeout]`.
// The name, the default the code gets and the `[default: …]` of `--help` are written once;
// a misspelt option is a compile error, not a silent nil.

/// An entry of a command's option table, as `CommandSpec` lists it.
public protocol OptionDeclaration: Sendable {
    var spec: OptionSpec { get }
}

extension OptionSpec: OptionDeclaration {
    public var spec: OptionSpec { self }
}

/// How `--help` shows a value as an option's default.
public protocol OptionDefault: Sendable {
    var helpText: String { get }
}

/// A value an option's text turns into.
public protocol OptionValue: OptionDefault {
    /// The value of `--option TEXT`; a usage error names the option.
    static func parse(_ text: String, option: String) throws(ToolError) -> Self
}

/// One option of a command, typed by the value the code reads. `Failure` is `Never` for
/// options whose reading cannot fail (`Flag`, `PlainOption`) and `ToolError` for those that
/// check their text (`Option`, read with `try`).
public struct CommandOption<Value: Sendable, Failure: Error>: OptionDeclaration {
    public let spec: OptionSpec
    let read: @Sendable (ParsedArguments) throws(Failure) -> Value

    public var name: String { spec.name }

    init(_ spec: OptionSpec, read: @escaping @Sendable (ParsedArguments) throws(Failure) -> Value) {
        self.spec = spec
        self.read = read
    }
}

/// `--name`: true when given.
public typealias Flag = CommandOption<Bool, Never>
/// An option read as given (text, a list of texts, or present/absent): reading cannot fail.
public typealias PlainOption<Value: Sendable> = CommandOption<Value, Never>
/// An option whose text is checked and converted when it is read: a bad value is a usage error.
public typealias Option<Value: Sendable> = CommandOption<Value, ToolError>

extension ParsedArguments {
    /// The value of an option whose reading cannot fail (argv > environment > default).
    public subscript<Value>(option: CommandOption<Value, Never>) -> Value { option.read(self) }

    /// The value of an option whose text is checked: a bad one is a usage error naming it.
    // (Two overloads rather than one generic over the error type: Swift 6.3 crashes compiling
    // a `throws(Never)` getter used as an operand of `&&` inside a typed-throws function.)
    public subscript<Value>(option: CommandOption<Value, ToolError>) -> Value {
        get throws(ToolError) { try option.read(self) }
    }

    /// True when the option was given on the command line (the environment does not count).
    public func isSet(_ option: some OptionDeclaration) -> Bool { isSet(option.spec.name) }
}

// MARK: plain options

extension CommandOption where Value == Bool, Failure == Never {
    /// `--name`: true when given, or when its environment variable is 1, true, yes or on.
    public init(_ name: String, short: Character? = nil, help: String, environment: String? = nil, hidden: Bool = false) {
        self.init(OptionSpec(name, short: short, .flag, help: help, environment: environment, hidden: hidden)) { $0.flag(name) }
    }
}

extension CommandOption where Value == String?, Failure == Never {
    /// `--name VALUE`: the last value given, else the environment variable's, else nil.
    public init(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String, environment: String? = nil,
                completion: ValueCompletion = .none, hidden: Bool = false) {
        self.init(OptionSpec(name, short: short, .value, valueName: valueName, help: help, environment: environment,
                             completion: completion, hidden: hidden)) { $0.value(name) }
    }
}

extension CommandOption where Value == String, Failure == Never {
    /// `--name VALUE`: the last value given, else the environment variable's, else `default`.
    public init(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String, environment: String? = nil,
                default value: String, completion: ValueCompletion = .none, hidden: Bool = false) {
        self.init(OptionSpec(name, short: short, .value, valueName: valueName, help: help, environment: environment,
                             default: value, completion: completion, hidden: hidden)) { $0.value(name) ?? value }
    }
}

extension CommandOption where Value == [String], Failure == Never {
    /// `--name VALUE`, repeatable: every value given, in order.
    public init(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String,
                completion: ValueCompletion = .none, hidden: Bool = false) {
        self.init(OptionSpec(name, short: short, .repeated, valueName: valueName, help: help, completion: completion,
                             hidden: hidden)) { $0.values(name) }
    }
}

extension CommandOption where Value == ParsedArguments.OptionalValue, Failure == Never {
    /// `--name [VALUE]`: absent, or present with its value (nil when given bare).
    public init(_ name: String, valueName: String = "VALUE", help: String, completion: ValueCompletion = .none, hidden: Bool = false) {
        self.init(OptionSpec(name, .optionalValue, valueName: valueName, help: help, completion: completion, hidden: hidden)) {
            $0.optionalValue(name)
        }
    }
}

// MARK: checked options

extension CommandOption where Failure == ToolError {
    /// `--name VALUE` read by the value type, `default` when not given.
    public init(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String, environment: String? = nil,
                default value: Value, completion: ValueCompletion = .none, hidden: Bool = false) where Value: OptionValue {
        self.init(name, short: short, valueName: valueName, help: help, environment: environment, default: value,
                  completion: completion, hidden: hidden, parse: Value.parse)
    }

    /// `--name VALUE` read by the value type, nil when not given.
    public init<Wrapped: OptionValue>(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String,
                                      environment: String? = nil, completion: ValueCompletion = .none, hidden: Bool = false)
        where Value == Wrapped?
    {
        self.init(name, short: short, valueName: valueName, help: help, environment: environment, completion: completion,
                  hidden: hidden, parse: Wrapped.parse)
    }

    /// `--name VALUE` read by `parse(text, name)`, `default` when not given.
    public init(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String, environment: String? = nil,
                default value: Value, completion: ValueCompletion = .none, hidden: Bool = false,
                parse: @escaping @Sendable (String, String) throws(ToolError) -> Value) where Value: OptionDefault {
        self.init(OptionSpec(name, short: short, .value, valueName: valueName, help: help, environment: environment,
                             default: value.helpText, completion: completion, hidden: hidden)) { arguments throws(ToolError) in
            guard let text = arguments.value(name) else { return value }
            return try parse(text, name)
        }
    }

    /// `--name VALUE` read by `parse(text, name)`, nil when not given.
    public init<Wrapped>(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String, environment: String? = nil,
                         completion: ValueCompletion = .none, hidden: Bool = false,
                         parse: @escaping @Sendable (String, String) throws(ToolError) -> Wrapped) where Value == Wrapped? {
        self.init(OptionSpec(name, short: short, .value, valueName: valueName, help: help, environment: environment,
                             completion: completion, hidden: hidden)) { arguments throws(ToolError) in
            guard let text = arguments.value(name) else { return nil }
            return try parse(text, name)
        }
    }

    /// `--name VALUE`, repeatable: each value given read by `parse(text, name)`, in order.
    public init<Element>(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String,
                         completion: ValueCompletion = .none, hidden: Bool = false,
                         parse: @escaping @Sendable (String, String) throws(ToolError) -> Element) where Value == [Element] {
        self.init(OptionSpec(name, short: short, .repeated, valueName: valueName, help: help, completion: completion,
                             hidden: hidden)) { arguments throws(ToolError) in
            var result: [Element] = []
            for text in arguments.values(name) { result.append(try parse(text, name)) }
            return result
        }
    }

    /// `--name [VALUE]`: nil when not given, else `parse(value, name)` (the value is nil when
    /// the option is given bare).
    public init<Wrapped>(_ name: String, valueName: String = "VALUE", help: String, completion: ValueCompletion = .none,
                         hidden: Bool = false, parseOptional parse: @escaping @Sendable (String?, String) throws(ToolError) -> Wrapped)
        where Value == Wrapped?
    {
        self.init(OptionSpec(name, .optionalValue, valueName: valueName, help: help, completion: completion, hidden: hidden)) {
            arguments throws(ToolError) in
            guard case .present(let text) = arguments.optionalValue(name) else { return nil }
            return try parse(text, name)
        }
    }

    /// `--name [VALUE]`: `default` when not given, else `parse(value, name)` (the value is nil
    /// when the option is given bare).
    public init(_ name: String, valueName: String = "VALUE", help: String, default value: Value, completion: ValueCompletion = .none,
                hidden: Bool = false, parseOptional parse: @escaping @Sendable (String?, String) throws(ToolError) -> Value)
        where Value: OptionDefault
    {
        self.init(OptionSpec(name, .optionalValue, valueName: valueName, help: help, default: value.helpText,
                             completion: completion, hidden: hidden)) { arguments throws(ToolError) in
            guard case .present(let text) = arguments.optionalValue(name) else { return value }
            return try parse(text, name)
        }
    }
}

// MARK: choices (argparse's messages, as icloudpd gives them)

extension CommandOption where Failure == ToolError {
    /// `--name VALUE`, one of `choices` (compared in lower case unless `lowercase` is false),
    /// `default` when not given. The completion offers the choices.
    public init(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String, default value: Value,
                choices: [Value] = Array(Value.allCases), lowercase: Bool = true, hidden: Bool = false)
        where Value: RawRepresentable<String> & CaseIterable
    {
        self.init(OptionSpec(name, short: short, .value, valueName: valueName, help: help, default: value.rawValue,
                             completion: .values(choices.map(\.rawValue)), hidden: hidden)) { arguments throws(ToolError) in
            guard let text = arguments.value(name) else { return value }
            return try Self.choice(text, name: name, choices: choices, lowercase: lowercase)
        }
    }

    /// `--name VALUE`, repeatable, each one of `choices` (compared in lower case), in the order
    /// given; `default` when not given.
    public init<Element>(_ name: String, short: Character? = nil, valueName: String = "VALUE", help: String, default value: [Element],
                         choices: [Element] = Array(Element.allCases), hidden: Bool = false)
        where Element: RawRepresentable<String> & CaseIterable & Sendable, Value == [Element]
    {
        self.init(OptionSpec(name, short: short, .repeated, valueName: valueName, help: help,
                             default: value.map(\.rawValue).joined(separator: ", "),
                             completion: .values(choices.map(\.rawValue)), hidden: hidden)) { arguments throws(ToolError) in
            let given = arguments.values(name)
            if given.isEmpty { return value }
            var result: [Element] = []
            for text in given { result.append(try CommandOption<Element, ToolError>.choice(text, name: name, choices: choices, lowercase: true)) }
            return result
        }
    }
}

extension CommandOption where Failure == ToolError, Value: RawRepresentable<String> {
    /// argparse: `argument --name: invalid choice: 'x' (choose from 'a', 'b')`.
    static func choice(_ text: String, name: String, choices: [Value], lowercase: Bool) throws(ToolError) -> Value {
        guard let value = Value(rawValue: lowercase ? text.lowercased() : text), choices.contains(where: { $0.rawValue == value.rawValue }) else {
            throw .usage("argument --\(name): invalid choice: '\(text)' (choose from \(choices.map { "'\($0.rawValue)'" }.joined(separator: ", ")))")
        }
        return value
    }
}

// MARK: values

/// A duration given in seconds on the command line (`5`, `0.5`); never negative.
public struct Seconds: OptionValue, Equatable, Comparable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public var value: Double

    public init(_ value: Double) { self.value = value }
    public init(integerLiteral value: Int) { self.value = Double(value) }
    public init(floatLiteral value: Double) { self.value = value }

    /// A finite number ≥ 0; blanks around it are ignored.
    public static func parse(_ text: String, option: String) throws(ToolError) -> Seconds {
        guard let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds >= 0 else {
            throw .usage("invalid --\(option) '\(text)': expected a number of seconds ≥ 0")
        }
        return Seconds(seconds)
    }

    /// 60.0 → "60", 0.5 → "0.5".
    public var helpText: String { Self.text(value) }

    public static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    public static func < (lhs: Seconds, rhs: Seconds) -> Bool { lhs.value < rhs.value }
}

/// Plain numbers: `invalid --name 'text'` when the text is not one.
extension OptionValue where Self: LosslessStringConvertible {
    public static func parse(_ text: String, option: String) throws(ToolError) -> Self {
        guard let value = Self(text) else { throw .usage("invalid --\(option) '\(text)'") }
        return value
    }
}

extension String: OptionDefault { public var helpText: String { self } }
extension Int: OptionValue { public var helpText: String { String(self) } }
extension UInt16: OptionValue { public var helpText: String { String(self) } }
extension UInt32: OptionValue { public var helpText: String { String(self) } }
extension UInt64: OptionValue { public var helpText: String { String(self) } }
extension Double: OptionValue { public var helpText: String { Seconds.text(self) } }

extension LogLevel: OptionValue {
    public static func parse(_ text: String, option: String) throws(ToolError) -> LogLevel {
        guard let level = LogLevel(name: text) else { throw .usage("invalid --\(option) '\(text)' (debug, info, warning or error)") }
        return level
    }

    public var helpText: String { name }
}
