import Foundation
import Synchronization

/// SQL `LIKE`/`ILIKE` matching as Postgres does it: `%` any run, `_` one character,
/// backslash escapes the next character. Immich v1.127+ path search relies on this (unescaped).
struct LikePattern {
    enum Token: Equatable { case any, one, literal(Character) }
    /// The folded pattern (also read by `TrigramIndex` for the trigrams a match must hold).
    let tokens: [Token]
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
        containedLiteral = Self.containedLiteral(tokens)
    }

    /// Folding is slow in Foundation and paths are searched over and over: remember them.
    private static let foldCache = Mutex<[String: String]>([:])

    /// Case- and accent-insensitive form (Immich uses ILIKE on `f_unaccent`).
    static func fold(_ text: String) -> String {
        if let cached = foldCache.withLock({ $0[text] }) { return cached }
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        foldCache.withLock { cache in
            if cache.count > 200_000 { cache.removeAll() }
            cache[text] = folded
        }
        return folded
    }

    /// `%literal%`, the shape of every path search: a plain substring test.
    private let containedLiteral: String?

    private static func containedLiteral(_ tokens: [Token]) -> String? {
        guard tokens.count >= 2, tokens.first == .any, tokens.last == .any else { return nil }
        var literal = ""
        for token in tokens.dropFirst().dropLast() {
            guard case .literal(let character) = token else { return nil }
            literal.append(character)
        }
        return literal
    }

    /// Byte-wise substring search on UTF-8 (Foundation's `contains` is slow on Linux).
    static func containsBytes(_ haystack: String, _ needle: String) -> Bool {
        let hay = Array(haystack.utf8), pin = Array(needle.utf8)
        guard pin.count <= hay.count else { return false }
        let first = pin[0]
        var index = 0
        while index <= hay.count - pin.count {
            if hay[index] == first && hay[index..<index + pin.count].elementsEqual(pin) { return true }
            index += 1
        }
        return false
    }

    func matches(_ text: String) -> Bool {
        let subject = caseInsensitive ? Self.fold(text) : text
        if let literal = containedLiteral { return literal.isEmpty || Self.containsBytes(subject, literal) }
        let input = Array(subject)
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
