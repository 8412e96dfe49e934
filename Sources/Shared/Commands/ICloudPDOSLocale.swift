import Foundation

/// `--use-os-locale` (icloudpd: `setlocale(LC_ALL, "")` before formatting folder names). We only
/// format dates in the C locale, so the option is honoured exactly when that gives the same
/// folder names: a C/POSIX locale, an English one for names (`%a %A %b %B %h %p`), or a
/// folder structure without locale-dependent conversions. Anything else is refused: silently
/// writing English names where icloudpd writes e.g. German ones would split the library.
enum ICloudPDOSLocale {
    /// The locale `setlocale(LC_ALL, "")` picks for LC_TIME.
    static func timeLocale(_ environment: [String: String]) -> String {
        for name in ["LC_ALL", "LC_TIME", "LANG"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return "C"
    }

    /// nil when the folder names come out as icloudpd would write them, else the refusal.
    static func refusal(template: String, environment: [String: String]) -> String? {
        let locale = timeLocale(environment)
        let base = locale.split(separator: ".").first.map(String.init) ?? locale
        if ["C", "POSIX"].contains(base) { return nil }
        let english = base == "en" || base.hasPrefix("en_")
        let used = localeConversions(template)
        let differing = english ? used.filter { "cxXr".contains($0) } : used
        guard !differing.isEmpty else { return nil }
        return "--use-os-locale with locale \(locale) is not supported yet: --folder-structure \(template) uses "
            + differing.map { "%\($0)" }.joined(separator: ", ")
            + ", which this build formats in the C locale only (English names). Drop --use-os-locale or use numeric conversions."
    }

    /// The locale-dependent strftime conversions in a template (flags, width, E/O skipped).
    static func localeConversions(_ template: String) -> [Character] {
        var out: [Character] = []
        var chars = template.makeIterator()
        while let c = chars.next() {
            guard c == "%" else { continue }
            var next = chars.next()
            while let n = next, "-_0^#EO".contains(n) || n.isNumber { next = chars.next() }
            if let n = next, "aAbBhcxXpPr".contains(n), !out.contains(n) { out.append(n) }
        }
        return out
    }
}
