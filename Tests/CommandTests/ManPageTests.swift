import Foundation
import Shared
import Testing

/// man/man1/ holds exactly what the option tables generate (scripts/update-man-pages.sh), each
/// page documents every option --help shows, and `man -l` renders each without a warning.
@Suite struct ManPageTests {
    static let man = ["/usr/bin/man", "/bin/man"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let groff = ["/usr/bin/groff", "/bin/groff"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func page(_ command: String) -> URL { CommandSpecs.root.appendingPathComponent("man/man1/\(command).1") }

    @Test(arguments: ManPage.suite) func manPageIsCurrent(_ command: String) throws {
        let committed = try String(contentsOf: Self.page(command), encoding: .utf8)
        #expect(committed == ManPage.render(try CommandSpecs.spec(command)), "man/man1/\(command).1 is stale: run scripts/update-man-pages.sh")
    }

    @Test func noOtherPageIsThere() throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: CommandSpecs.root.appendingPathComponent("man/man1").path)
        #expect(Set(present) == Set(ManPage.suite.map { "\($0).1" }))
    }

    /// The page and --help come from one table: every option --help lists is in the page, with
    /// its environment variable, and the sections the page promises are there.
    @Test(arguments: ManPage.suite) func manPageDocumentsWhatHelpShows(_ command: String) throws {
        let spec = try CommandSpecs.spec(command)
        let page = ManPage.render(spec)
        let help = HelpFormatter.help(for: spec)
        for option in spec.options where !option.hidden {
            #expect(help.contains("--\(option.name)"))
            #expect(page.contains("\\fB\\-\\-\(option.name.replacingOccurrences(of: "-", with: "\\-"))\\fR"), "--\(option.name)")
            if let variable = option.environment { #expect(page.contains("\\fB\(variable.replacingOccurrences(of: "-", with: "\\-"))\\fR")) }
        }
        for section in ["NAME", "SYNOPSIS", "OPTIONS", "EXIT STATUS", "SEE ALSO"] { #expect(page.contains(".SH \(section)\n")) }
        for code in ExitCode.allCases { #expect(page.contains(".TP\n\\fB\(code.rawValue)\\fR\n")) }
        #expect(!page.contains(".SH EXAMPLES") == spec.examples.isEmpty)
    }

    @Test(.enabled(if: man != nil && groff != nil, "man or groff is missing (Debian's man-db and groff-base; .ci/run installs them)"),
          arguments: ManPage.suite)
    func manRendersThePageWithoutWarnings(_ command: String) throws {
        for locale in ["C", "C.UTF-8"] {
            var environment = ProcessInfo.processInfo.environment
            environment["LC_ALL"] = locale
            environment["MANWIDTH"] = "80"
            environment["MANPAGER"] = "cat"
            environment["PAGER"] = "cat"
            let result = try ToolRunner.run(executable: URL(fileURLWithPath: Self.man!), ["--warnings=w", "-l", Self.page(command).path],
                                            environment: environment)
            #expect(result.status == 0 && result.stderr.isEmpty, "man -l \(command).1 (LC_ALL=\(locale)): \(result.stderr)")
            #expect(result.stdout.contains("--help") && result.stdout.contains("EXIT STATUS"), "\(result.stdout.prefix(300))")
        }
    }
}
