/// One `--album` rule: `[size1,size2]:template` sends those sizes to the album the template
/// names for each photo; a bare `template` sends every still size.
public struct AlbumRule: Sendable, Equatable {
    public let source: String
    public let sizes: SizeList
    public let template: AlbumTemplate

    public init(_ source: String) throws(ToolError) {
        self.source = source
        func invalid(_ reason: String) -> ToolError { .usage("invalid album rule '\(source)': \(reason)") }
        let rule = source.trimmingCharacters(in: .whitespaces)
        let templateText: String
        if rule.hasPrefix("[") {
            guard let close = rule.firstIndex(of: "]") else {
                throw invalid("starts with '[' but has no ']:' (write [sizes]:name, e.g. [adjusted]:iCloud)")
            }
            let afterClose = rule.index(after: close)
            guard afterClose < rule.endIndex, rule[afterClose] == ":" else {
                throw invalid("the size list must be followed by ':' and the album name, e.g. [adjusted]:iCloud")
            }
            let list = String(rule[rule.index(after: rule.startIndex)..<close])
            if list.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "stacked" }) {
                throw invalid("'stacked' is not a size: stacks cannot be added to albums; list the sizes instead")
            }
            guard !list.trimmingCharacters(in: .whitespaces).isEmpty else { throw invalid("the size list is empty") }
            do {
                sizes = try SizeList.parse(list, what: "size list")
            } catch {
                throw invalid(error.message.replacingOccurrences(of: "size list: ", with: ""))
            }
            templateText = rule[rule.index(after: afterClose)...].trimmingCharacters(in: .whitespaces)
        } else {
            sizes = .all
            templateText = rule
        }
        do {
            template = try AlbumTemplate(templateText)
        } catch {
            throw invalid(error.description)
        }
    }
}
