/// An album name template: literal text with any number of `{:strftime}` placeholders (e.g.
/// `iCloud/{:%Y/%m}` or `{:%Y} – {:%B}`) and `{album}` (one name per iCloud album of the photo,
/// e.g. `iCloud/{album}`), `{{` and `}}` for literal braces. Checked when parsed, so a bad rule
/// stops the command before any work.
public struct AlbumTemplate: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case text(String)
        case date(String)
        case album
    }

    let pieces: [Piece]
    public let source: String

    public var hasDate: Bool { pieces.contains { if case .date = $0 { true } else { false } } }
    /// Names one album per entry of the record's `albums` (none for a photo in no album).
    public var hasAlbum: Bool { pieces.contains(.album) }

    /// Throws a sentence saying what is wrong (the caller quotes the rule).
    public init(_ source: String) throws(AlbumRuleError) {
        self.source = source
        var pieces: [Piece] = []
        var text = ""
        var index = source.startIndex
        while index < source.endIndex {
            let character = source[index]
            let next = source.index(after: index)
            if character == "{" {
                if next < source.endIndex, source[next] == "{" { text.append("{"); index = source.index(after: next); continue }
                guard let close = source[next...].firstIndex(of: "}") else {
                    throw AlbumRuleError("a '{' is never closed (write '{{' for a literal brace)")
                }
                let field = String(source[next..<close])
                if field.contains("{") { throw AlbumRuleError("bad placeholder '{\(field)}': placeholders cannot nest") }
                guard field == "album" || (field.hasPrefix(":") && field.count > 1) else {
                    throw AlbumRuleError("bad placeholder '{\(field)}': write {album} (the photo's iCloud album) or a date format after a colon, e.g. {:%Y/%m}")
                }
                if !text.isEmpty { pieces.append(.text(text)); text = "" }
                pieces.append(field == "album" ? .album : .date(String(field.dropFirst())))
                index = source.index(after: close)
                continue
            }
            if character == "}" {
                guard next < source.endIndex, source[next] == "}" else {
                    throw AlbumRuleError("a '}' has no matching '{' (write '}}' for a literal brace)")
                }
                text.append("}")
                index = source.index(after: next)
                continue
            }
            text.append(character)
            index = next
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        guard !pieces.isEmpty, source.contains(where: { !$0.isWhitespace }) else { throw AlbumRuleError("the album name is empty") }
        self.pieces = pieces
    }

    /// The name for a photo taken at `time` and, when the template has `{album}`, in iCloud
    /// album `album`; nil when a date placeholder has no time.
    public func render(_ time: LocalDateTime?, album: String = "") -> String? {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .album: out += album
            case .date(let format):
                guard let time else { return nil }
                out += Strftime.format(format, time)
            }
        }
        return out
    }
}

public struct AlbumRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
