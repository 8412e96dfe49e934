import Foundation

/// A GIN `gin_trgm_ops` index as Postgres's pg_trgm keeps it, for `ILIKE` searches on a text
/// column: Immich indexes `f_unaccent("originalPath")` this way (migration
/// `AddAssetOriginalPathTrigramIndex1724231348454`, later `asset_originalPath_trigram_idx`),
/// so its substring path search (v1.127–v3.1) reads the rows holding the pattern's trigrams,
/// not the whole table.
///
/// As in pg_trgm, a text's trigrams are those of its words (runs of letters and digits,
/// lower-cased, here folded as `LikePattern` folds), each padded with two spaces in front and
/// one behind. A pattern gives the trigrams every match must contain: its literal word parts,
/// padded only where the pattern pins a word boundary (its start or end, or a literal
/// non-word character), never next to a `%` or `_`. A pattern that gives none (e.g. `%ab%`)
/// cannot be narrowed: Postgres then reads every row, and `candidates` says so with nil.
/// Candidates are a superset of the matches; the search checks each with the LIKE matcher.
struct TrigramIndex {
    /// Trigram → row numbers, ascending (rows are inserted in ascending order).
    private var postings: [UInt64: [Int32]] = [:]

    /// Adds row `row` (greater than every row added before) with its text.
    mutating func insert(_ text: String, row: Int) {
        var trigrams = Set<UInt64>()
        Self.textTrigrams(LikePattern.fold(text)) { trigrams.insert($0) }
        for trigram in trigrams { postings[trigram, default: []].append(Int32(row)) }
    }

    /// Rows that may match `pattern`, ascending; nil when the pattern has no trigram to look up.
    func candidates(_ pattern: LikePattern) -> [Int]? {
        var trigrams = Set<UInt64>()
        Self.patternTrigrams(pattern) { trigrams.insert($0) }
        guard !trigrams.isEmpty else { return nil }
        var lists: [[Int32]] = []
        for trigram in trigrams {
            guard let list = postings[trigram] else { return [] }
            lists.append(list)
        }
        lists.sort { $0.count < $1.count }
        var rows = lists[0]
        for list in lists.dropFirst() where !rows.isEmpty {
            rows = rows.filter { Self.contains(list, $0) }
        }
        return rows.map(Int.init)
    }

    private static func contains(_ sorted: [Int32], _ value: Int32) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == value
    }

    // MARK: extraction

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// The trigrams of a (folded) text: every word, padded on both sides.
    static func textTrigrams(_ folded: String, _ emit: (UInt64) -> Void) {
        var word: [Unicode.Scalar] = []
        for scalar in folded.unicodeScalars {
            if isWordScalar(scalar) { word.append(scalar); continue }
            wordTrigrams(word, padStart: true, padEnd: true, emit)
            word.removeAll(keepingCapacity: true)
        }
        wordTrigrams(word, padStart: true, padEnd: true, emit)
    }

    /// The trigrams every text matching `pattern` contains.
    static func patternTrigrams(_ pattern: LikePattern, _ emit: (UInt64) -> Void) {
        var word: [Unicode.Scalar] = []
        // Whether the word under way starts at a pinned boundary (the pattern's start, as
        // LIKE is anchored, or a literal non-word character).
        var pinnedStart = true
        var pinnedBefore = true
        func finish(pinnedEnd: Bool) {
            wordTrigrams(word, padStart: pinnedStart, padEnd: pinnedEnd, emit)
            word.removeAll(keepingCapacity: true)
        }
        for token in pattern.tokens {
            guard case .literal(let character) = token else {
                finish(pinnedEnd: false)
                pinnedBefore = false
                continue
            }
            for scalar in character.unicodeScalars {
                if isWordScalar(scalar) {
                    if word.isEmpty { pinnedStart = pinnedBefore }
                    word.append(scalar)
                } else {
                    finish(pinnedEnd: true)
                    pinnedBefore = true
                }
            }
        }
        finish(pinnedEnd: true)
    }

    private static func wordTrigrams(_ word: [Unicode.Scalar], padStart: Bool, padEnd: Bool, _ emit: (UInt64) -> Void) {
        guard !word.isEmpty else { return }
        let space: Unicode.Scalar = " "
        let padded = (padStart ? [space, space] : []) + word + (padEnd ? [space] : [])
        guard padded.count >= 3 else { return }
        for start in 0...(padded.count - 3) {
            emit(UInt64(padded[start].value) << 42 | UInt64(padded[start + 1].value) << 21 | UInt64(padded[start + 2].value))
        }
    }
}
