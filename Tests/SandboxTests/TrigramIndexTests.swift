import Foundation
import Testing
@testable import Sandbox

/// The sandbox's trigram index must never change a search's answer, only the rows it reads:
/// for every pattern, the candidates it hands back, checked with the LIKE matcher, are exactly
/// the matches of a scan of every row.
@Suite struct TrigramIndexTests {
    static let texts = [
        "/photos/icloud/IMG_0001.JPG", "/photos/icloud/IMG_0001.HEIC", "/photos/icloud/IMG_0001.MOV",
        "/photos/icloud/IMGX0001.JPG", "/photos/icloud/img_0002-medium.jpg", "/photos/icloud/IMG_0010.JPG",
        "/photos/Café/Crème brûlée.jpg", "/photos/CAFE/creme brulee.JPG", "/photos/2024/01/05/IMG_0003.PNG",
        "/photos/100%/a_b.jpg", "/photos/100%/axb.jpg", "/photos/back\\slash/x.jpg", "/photos/x/y", "/a", "/ab",
        "/photos/日本/写真.jpg", "/photos/dots.../..x", "/photos/ ab /ab", "/photos/a/ab/abc/abcd",
    ]

    func index(_ texts: [String]) -> TrigramIndex {
        var index = TrigramIndex()
        for (row, text) in texts.enumerated() { index.insert(text, row: row) }
        return index
    }

    /// Checks one pattern; returns whether the index narrowed it.
    @discardableResult
    func expectSameAsScan(_ source: String, _ texts: [String], _ index: TrigramIndex) -> Bool {
        let pattern = LikePattern(source, caseInsensitive: true)
        let scan = texts.indices.filter { pattern.matches(texts[$0]) }
        let candidates = index.candidates(pattern)
        let checked = (candidates ?? Array(texts.indices)).filter { pattern.matches(texts[$0]) }
        #expect(checked == scan, "pattern \(source)")
        return candidates != nil
    }

    @Test func substringsOfEveryPathGiveTheScansAnswer() {
        let index = index(Self.texts)
        for text in Self.texts {
            let characters = Array(text)
            for length in 0...min(8, characters.count) {
                for start in 0...(characters.count - length) {
                    let piece = String(characters[start..<start + length])
                    expectSameAsScan("%" + piece + "%", Self.texts, index)
                    expectSameAsScan(piece + "%", Self.texts, index)
                    expectSameAsScan("%" + piece, Self.texts, index)
                }
            }
            expectSameAsScan(text, Self.texts, index)
            expectSameAsScan("%" + text + "%", Self.texts, index)
            expectSameAsScan("%" + text.uppercased() + "%", Self.texts, index)
        }
    }

    @Test func wildcardsEscapesAndAccents() {
        let index = index(Self.texts)
        for source in ["%IMG_0001%", "%img_0001.%", "%IMG%0001%", "%0001.___%", "%/img_000_.jpg", "%100\\%/a\\_b%", "%100%/a_b%",
                       "%back\\\\slash%", "%cafe%", "%CRÈME BRULEE%", "%crème%brûlée%", "/photos/_afe/%", "%日本%", "%写真.jpg",
                       "%...%", "%/ ab /%", "%abc%", "%/abc/%", "%/ab/%", "/a", "/ab", "%%%", "", "_", "%_%", "%____%"] {
            expectSameAsScan(source, Self.texts, index)
        }
    }

    @Test func shortPatternsCannotBeNarrowed() {
        let index = index(Self.texts)
        // Fewer than three characters of a word (and no pinned word boundary): no trigram,
        // so Postgres reads every row; so does the sandbox.
        for source in ["%ab%", "%a%", "%%", "%_%", "%/%", "%._%", "%_b_%"] {
            #expect(!expectSameAsScan(source, Self.texts, index), "pattern \(source)")
        }
        // A word boundary the pattern pins (a literal `/`, or its anchored start) gives trigrams.
        #expect(expectSameAsScan("%/ab/%", Self.texts, index))
        #expect(expectSameAsScan("/a", Self.texts, index))
        #expect(expectSameAsScan("%abc%", Self.texts, index))
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomTextsAndPatterns(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let alphabet: [Character] = ["a", "A", "b", "é", "E", "1", "_", "%", "/", ".", " ", "\\", "日"]
        let texts = (0..<300).map { _ in String((0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! }) }
        let index = index(texts)
        for _ in 0..<1500 {
            let source = String((0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            expectSameAsScan(source, texts, index)
            expectSameAsScan("%" + source + "%", texts, index)
        }
    }

    /// Over HTTP on v2: a per-file path lookup reads the rows holding its trigrams, not the
    /// library; a pattern the index cannot narrow reads every row.
    @Test func pathSearchReadsTheIndexedRows() async throws {
        let names = (0..<300).map { String(format: "flat/IMG_%04d.JPG", $0) }
        let fixture = try SandboxFixture(version: "2.5.6", files: names + ["flat/IMG_0001.MOV"])
        try await fixture.scan()
        let before = fixture.immich.searchRowsReadCount()
        let one = try await fixture.search(["originalPath": .string(fixture.path("flat/IMG_0001.JPG"))])
        #expect(one.compactMap { $0["originalPath"]?.stringValue } == [fixture.path("flat/IMG_0001.JPG")])
        let read = fixture.immich.searchRowsReadCount() - before
        #expect(read >= 1 && read <= 2)

        let wide = fixture.immich.searchRowsReadCount()
        let all = try await fixture.search(["originalPath": "_0", "size": 1000])
        #expect(all.count == 301)
        #expect(fixture.immich.searchRowsReadCount() - wide == 301)
    }
}

extension SeededRandom: RandomNumberGenerator {}
