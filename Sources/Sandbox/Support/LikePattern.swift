import Foundation

/// SQL `LIKE`/`ILIKE` matching as Postgres does it: `%` any run, `_` one character,
/// backslash escapes the next character. Immich v1.127+ path search relies on this (unescaped).
struct LikePattern {
    private enum Token: Equatable { case any, one, literal(Character) }
    private let tokens: [Token]
    private let caseInsensitive: Bool

    init(_ pattern: String, caseInsensitive: Bool) {
        self.caseInsensitive = caseInsensitive
        let source = caseInsensitive ? Self.fold(pattern) : pattern
        var tokens: [Token] = []
        var escaped = false
        for character in source {
            if escaped { tokens.append(.literal(character)); escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "%": if tokens.last != .any { tokens.append(.any) }
            case "_": tokens.append(.one)
            default: tokens.append(.literal(character))
            }
        }
        self.tokens = tokens
    }

    /// Case- and accent-insensitive form (Immich uses ILIKE on `f_unaccent`).
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    func matches(_ text: String) -> Bool {
        let input = Array(caseInsensitive ? Self.fold(text) : text)
        // Greedy wildcard matching with backtracking to the last `%`.
        var t = 0, p = 0
        var starP = -1, starT = 0
        while t < input.count {
            if p < tokens.count {
                switch tokens[p] {
                case .any:
                    starP = p; starT = t; p += 1
                    continue
                case .one:
                    t += 1; p += 1
                    continue
                case .literal(let c) where c == input[t]:
                    t += 1; p += 1
                    continue
                default: break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starT += 1
            t = starT
        }
        while p < tokens.count && tokens[p] == .any { p += 1 }
        return p == tokens.count
    }
}
