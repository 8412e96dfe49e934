import Testing
@testable import Shared

@Suite struct ArgumentParserTests {
    let spec = CommandSpec(
        name: "tool", summary: "test", usage: "tool [options] [SIZES]",
        arguments: [ArgumentSpec("SIZES", help: "sizes")],
        options: [
            OptionSpec("server-url", .value, valueName: "URL", help: "url", environment: "IMMICH_SERVER_URL"),
            OptionSpec("favorite", .optionalValue, valueName: "SIZES", help: "sizes"),
            OptionSpec("album", .repeated, valueName: "RULE", help: "rule"),
            OptionSpec("dry-run", help: "dry"),
        ])

    @Test func valuesEqualsFormsRepeatsAndEnvironmentFallback() throws {
        let parsed = try ArgumentParser.parse(["--album", "A", "--album=[adjusted]:B", "--dry-run", "medium"], spec: spec,
                                              environment: ["IMMICH_SERVER_URL": "http://x"])
        #expect(parsed.values("album") == ["A", "[adjusted]:B"])
        #expect(parsed.flag("dry-run"))
        #expect(parsed.value("server-url") == "http://x")
        #expect(parsed.positionals == ["medium"])
        let override = try ArgumentParser.parse(["--server-url", "http://y"], spec: spec, environment: ["IMMICH_SERVER_URL": "http://x"])
        #expect(override.value("server-url") == "http://y")
    }

    @Test func optionalValueTakesTheNextTokenOnlyWhenItIsNotAnOption() throws {
        #expect(try ArgumentParser.parse(["--favorite"], spec: spec).optionalValue("favorite") == .present(nil))
        #expect(try ArgumentParser.parse(["--favorite", "--dry-run"], spec: spec).optionalValue("favorite") == .present(nil))
        #expect(try ArgumentParser.parse(["--favorite", "adjusted,medium"], spec: spec).optionalValue("favorite") == .present("adjusted,medium"))
        #expect(try ArgumentParser.parse(["--favorite=adjusted"], spec: spec).optionalValue("favorite") == .present("adjusted"))
        #expect(try ArgumentParser.parse([], spec: spec).optionalValue("favorite") == .absent)
    }

    @Test func errorsNameTheOptionAndSuggest() {
        #expect(throws: ToolError.self) { try ArgumentParser.parse(["--server-ur", "x"], spec: spec) }
        do {
            _ = try ArgumentParser.parse(["--server-ur", "x"], spec: spec)
        } catch {
            #expect(error.code == .usage)
            #expect(error.message.contains("did you mean '--server-url'"))
            #expect(error.hint?.contains("tool --help") == true)
        }
        do {
            _ = try ArgumentParser.parse(["--server-url"], spec: spec)
            Issue.record("missing value accepted")
        } catch {
            #expect(error.message == "missing value for '--server-url URL'")
        }
        do {
            _ = try ArgumentParser.parse(["a", "b"], spec: spec)
            Issue.record("extra argument accepted")
        } catch {
            #expect(error.message == "unexpected argument 'b'")
        }
    }

    @Test func helpListsOptionsEnvironmentAndExitCodes() {
        let help = HelpFormatter.help(for: spec)
        #expect(help.contains("--server-url URL"))
        #expect(help.contains("env: IMMICH_SERVER_URL"))
        #expect(help.contains("--favorite [SIZES]"))
        #expect(help.contains("Exit codes:"))
        #expect(help.contains("5  partial"))
    }

    @Test func completionScriptsCoverEveryOption() {
        for shell in CompletionScripts.shells {
            let script = CompletionScripts.script(for: spec, shell: shell) ?? ""
            for option in spec.options where !option.hidden { #expect(script.contains(option.name), "\(shell) lacks \(option.name)") }
            #expect(!script.contains("man-page"), "hidden options stay out of completions")
        }
    }

    /// `--concurrency N` on every Immich step that sends requests: 8 unless given, 1…64, blanks
    /// around the number ignored, anything else a usage error naming the option.
    @Test(arguments: [ImmichScanCommand.spec, ImmichStackCommand.spec, ImmichFavCommand.spec, ImmichAlbumCommand.spec])
    func concurrencyIsABoundedWholeNumber(spec: CommandSpec) throws {
        #expect(try ArgumentParser.parse([], spec: spec, environment: [:])[ImmichOptions.concurrency] == 8)
        #expect(try ArgumentParser.parse(["--concurrency", " 3 "], spec: spec, environment: [:])[ImmichOptions.concurrency] == 3)
        #expect(try ArgumentParser.parse(["--concurrency=64"], spec: spec, environment: [:])[ImmichOptions.concurrency] == 64)
        for bad in ["0", "65", "x", "2.5"] {
            let arguments = try ArgumentParser.parse(["--concurrency", bad], spec: spec, environment: [:])
            let error = #expect(throws: ToolError.self) { try arguments[ImmichOptions.concurrency] }
            #expect(error?.code == .usage)
            #expect(error?.message == "invalid --concurrency '\(bad)': expected a whole number from 1 to 64")
        }
    }
}
