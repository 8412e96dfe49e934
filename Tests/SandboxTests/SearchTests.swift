import Foundation
import Testing
import Sandbox

@Suite struct SearchTests {
    @Test func pagingOverManyAssets() async throws {
        let fixture = try SandboxFixture()
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        for index in 0..<2500 { try fixture.touch(String(format: "many/IMG_%04d.jpg", index), modified: base.addingTimeInterval(Double(index))) }
        try await fixture.scan()

        var seen = Set<String>()
        var page: SandboxJSON = 1
        var pages = 0
        var nextPages: [SandboxJSON] = []
        while page != .null {
            let reply = try await fixture.call("POST", "/api/search/metadata", ["page": page, "size": 1000])
            let assets = reply.json!["assets"]!
            for item in assets["items"]!.arrayValue! { seen.insert(item["id"]!.stringValue!) }
            #expect(assets["total"] == assets["count"])
            nextPages.append(assets["nextPage"]!)
            page = assets["nextPage"]!.stringValue.flatMap(Int.init).map { .int($0) } ?? .null
            pages += 1
        }
        #expect(pages == 3)
        #expect(nextPages == ["2", "3", .null])
        #expect(seen.count == 2500)

        // Newest first by default; asc flips it.
        let first = try await fixture.search(["size": 1])
        #expect(first.first?["originalFileName"] == "IMG_2499.jpg")
        let oldest = try await fixture.search(["size": 1, "order": "asc"])
        #expect(oldest.first?["originalFileName"] == "IMG_0000.jpg")

        let tooBig = try await fixture.call("POST", "/api/search/metadata", ["size": 1001])
        #expect(tooBig.status == 400)
        #expect(tooBig.json?["message"] == ["size must not be greater than 1000"])
        #expect(try await fixture.call("POST", "/api/search/metadata", ["page": 0]).status == 400)
    }

    @Test(arguments: ["1.120.0", "2.5.6"])
    func originalPathMatchingByVersion(version: String) async throws {
        let fixture = try SandboxFixture(version: version, files: ["trip/IMG_1.jpg", "trip/IMGX1.jpg", "Trip2/img_1.jpg"])
        try await fixture.scan()
        let exact = try await fixture.search(["originalPath": .string(fixture.path("trip/IMG_1.jpg"))])
        let folder = try await fixture.search(["originalPath": "trip"])
        if version == "1.120.0" {
            #expect(exact.count == 1)
            #expect(folder.isEmpty)
        } else {
            // `_` is a LIKE wildcard, so IMGX1 matches too; matching ignores case.
            #expect(exact.count == 2)
            #expect(folder.count == 3)
        }
    }

    @Test func visibilityDefaultsDifferBetweenV2AndV3() async throws {
        for version in ["2.5.6", "3.0.0"] {
            let fixture = try SandboxFixture(version: version, files: ["IMG_1.HEIC", "IMG_1.MOV"]) { $0.autoLinkLivePhotos = true }
            try await fixture.scan()
            let all = try await fixture.search([:])
            let hidden = try await fixture.search(["visibility": "hidden"])
            #expect(hidden.count == 1)
            #expect(all.count == (version == "2.5.6" ? 1 : 2))
        }
    }

    @Test func structuredFilterOnV32() async throws {
        let fixture = try SandboxFixture(version: "3.2.2", files: ["a/1.jpg", "a/2.jpg", "a/3.jpg", "b/1.jpg"])
        try await fixture.scan()
        let lib = fixture.immich.libraryId
        let wanted = [fixture.path("a/1.jpg"), fixture.path("b/1.jpg"), fixture.path("a/nope.jpg")]
        let reply = try await fixture.call("POST", "/api/search/metadata",
                                           ["filter": ["libraryId": ["eq": .string(lib)], "originalPath": ["in": .array(wanted.map { .string($0) })]]])
        #expect(reply.status == 200)
        let paths = Set(reply.json!["assets"]!["items"]!.arrayValue!.compactMap { $0["originalPath"]?.stringValue })
        #expect(paths == [fixture.path("a/1.jpg"), fixture.path("b/1.jpg")])
        #expect(reply.json!["assets"]!["nextCursor"] == .null)

        // Cursor paging visits everything once.
        var cursor: SandboxJSON = .null
        var seen: [String] = []
        repeat {
            var body: [String: SandboxJSON] = ["filter": ["originalPath": ["startsWith": .string(fixture.path("a/"))]], "size": 2]
            if cursor != .null { body["cursor"] = cursor }
            let page = try await fixture.call("POST", "/api/search/metadata", .object(body))
            seen += page.json!["assets"]!["items"]!.arrayValue!.map { $0["id"]!.stringValue! }
            cursor = page.json!["assets"]!["nextCursor"]!
        } while cursor != .null
        #expect(seen.count == 3 && Set(seen).count == 3)

        let mixed = try await fixture.call("POST", "/api/search/metadata", ["filter": ["libraryId": ["eq": .string(lib)]], "page": 2])
        #expect(mixed.status == 400)
        #expect(mixed.json?["message"] == "Validation failed")
        #expect(mixed.json?["errors"]?.arrayValue?.first?["message"] == "Deprecated field page cannot be combined with filter")

        let strict = try await fixture.call("POST", "/api/search/metadata", ["filter": ["bogus": ["eq": 1]]])
        #expect(strict.status == 400)
    }

    @Test func filterIsStrippedBeforeV32() async throws {
        let fixture = try SandboxFixture(version: "3.1.0", files: ["a/1.jpg", "a/2.jpg"])
        try await fixture.scan()
        let items = try await fixture.search(["filter": ["originalPath": ["eq": .string(fixture.path("a/1.jpg"))]]])
        #expect(items.count == 2)
    }

    /// v3.2 and v3.3 read filters as the server does: `id` knows only eq/ne, an operator object
    /// with no known operator is refused, trashed assets match unless `trashedAt: {eq: null}`.
    @Test(arguments: ["3.2.0", "3.3.5"])
    func filterValidationAsTheServerDoes(version: String) async throws {
        let fixture = try SandboxFixture(version: version, files: ["a/1.jpg", "a/2.jpg", "a/3.jpg"])
        try await fixture.scan()
        let ids = try await fixture.search([:]).compactMap { $0["id"]?.stringValue }
        #expect(ids.count == 3)

        let byIn = try await fixture.call("POST", "/api/search/metadata", ["filter": ["id": ["in": .array(ids.map { .string($0) })]]])
        #expect(byIn.status == 400)
        #expect(byIn.json?["message"] == "Validation failed")
        #expect(byIn.json?["errors"]?.arrayValue?.first?["message"] == "At least one of the following fields is required: eq, ne")
        #expect(byIn.json?["errors"]?.arrayValue?.first?["path"] == ["filter", "id"])
        let emptyBool = try await fixture.call("POST", "/api/search/metadata", ["filter": ["isFavorite": [:]]])
        #expect(emptyBool.json?["errors"]?.arrayValue?.first?["path"] == ["filter", "isFavorite", "eq"])
        let emptyDate = try await fixture.call("POST", "/api/search/metadata", ["filter": ["createdAt": ["after": "2024-01-01T00:00:00Z"]]])
        #expect(emptyDate.json?["errors"]?.arrayValue?.first?["message"] == "At least one of the following fields is required: eq, ne, gt, gte, lt, lte")

        let branches = SandboxJSON.array(ids.prefix(2).map { ["id": ["eq": .string($0)]] })
        let rows = fixture.immich.searchRowsReadCount()
        let two = try await fixture.search(["filter": ["or": branches]])
        #expect(Set(two.compactMap { $0["id"]?.stringValue }) == Set(ids.prefix(2)))
        // `or` branches of `id.eq` are primary-key lookups: the rows read are the ids'.
        #expect(fixture.immich.searchRowsReadCount() - rows == 2)
        // A branch without an id narrows nothing: every row is read, the answer is the same.
        let other = try #require(try await fixture.search([:]).first { $0["id"]?.stringValue != ids[0] }?["originalFileName"])
        let mixedBranches = SandboxJSON.array([["id": ["eq": .string(ids[0])]], ["originalFileName": ["eq": other]]])
        let either = try await fixture.search(["filter": ["or": mixedBranches]])
        #expect(either.count == 2)

        for field in ["withDeleted", "isFavorite", "page", "visibility"] {
            let value: SandboxJSON = field == "page" ? 1 : field == "visibility" ? "timeline" : false
            let mixed = try await fixture.call("POST", "/api/search/metadata", .object(["filter": ["or": branches], field: value]))
            #expect(mixed.status == 400)
            #expect(mixed.json?["errors"]?.arrayValue?.first?["message"] == .string("Deprecated field \(field) cannot be combined with filter"))
            #expect(mixed.json?["errors"]?.arrayValue?.first?["path"] == [.string(field)])
        }
        #expect(try await fixture.call("POST", "/api/search/metadata", ["filter": ["or": branches], "size": 10, "withExif": true]).status == 200)

        // A file gone from disk is trashed by the next scan: a filter search still matches it.
        try FileManager.default.removeItem(atPath: fixture.path("a/3.jpg"))
        try await fixture.scan()
        let path = SandboxJSON.string(fixture.path("a/3.jpg"))
        #expect(try await fixture.search(["filter": ["originalPath": ["eq": path]]]).count == 1)
        #expect(try await fixture.search(["filter": ["originalPath": ["eq": path], "trashedAt": ["eq": .null]]]).isEmpty)
        #expect(try await fixture.search(["filter": ["originalPath": ["in": [path]], "trashedAt": ["ne": .null]]]).count == 1)
        #expect(try await fixture.search(["originalPath": path]).isEmpty)  // the flat shape hides the trash
    }
}
