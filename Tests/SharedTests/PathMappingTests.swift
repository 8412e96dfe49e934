import Testing
@testable import Shared

@Suite struct PathMappingTests {
    @Test func normalisesLikeTheServer() {
        #expect(PathMapping.normalize("/a//b/./c/../d/") == "/a/b/d")
        #expect(PathMapping.normalize("/Cafe\u{301}/x") == "/Caf\u{e9}/x")
    }

    @Test func longestPrefixWinsOnComponentBoundaries() throws {
        let mapping = try PathMapping(arguments: ["/mnt=/data", "/mnt/photos=/photos"])
        #expect(mapping.serverPath(for: "/mnt/photos/2024/a.jpg") == "/photos/2024/a.jpg")
        #expect(mapping.serverPath(for: "/mnt/other/a.jpg") == "/data/other/a.jpg")
        #expect(mapping.serverPath(for: "/mnt2/a.jpg") == "/mnt2/a.jpg")
        #expect(!PathMapping.isWithin("/photos2/a", "/photos"))
        #expect(PathMapping.isWithin("/photos/a", "/photos"))
    }

    @Test func rejectsMalformedRules() {
        #expect(throws: ToolError.self) { try PathMapping(arguments: ["/a"]) }
        #expect(throws: ToolError.self) { try PathMapping(arguments: ["a=/b"]) }
    }

    @Test func serverURLNormalisation() throws {
        for text in ["http://h:2283", "http://h:2283/", "http://h:2283/api", "http://h:2283/api/"] {
            #expect(try ImmichClient.normalize(serverURL: text).absoluteString == "http://h:2283/api")
        }
        #expect(throws: ToolError.self) { try ImmichClient.normalize(serverURL: "h:2283") }
    }

    @Test func versionsCompareNumerically() {
        #expect(ImmichVersion("v3.2.0")! > ImmichVersion("2.10.1")!)
        #expect(ImmichCapabilities.of(ImmichVersion("1.127.0")!)?.search == .flatSubstring)
        #expect(ImmichVersion("x") == nil)
    }
}

/// The one table of what each Immich version offers, per sandbox mode the steps are tested in.
@Suite struct ImmichCapabilitiesTests {
    @Test func everyModeReadsItsRow() throws {
        func row(_ text: String) throws -> ImmichCapabilities { let version = try #require(ImmichVersion(text)); return try #require(ImmichCapabilities.of(version)) }
        #expect(ImmichCapabilities.of(ImmichVersion(1, 105)) == nil)
        #expect(try row("1.112.0").stacksAPI == false)
        #expect(try row("1.114.0").liveLinkField == nil)
        #expect(try row("1.126.0").search == .flatExact)
        let v2 = try row("2.5.6")
        #expect(v2.search == .flatSubstring && v2.visibility == .timelineOnly && v2.albumListing == .albumAssets && v2.errors == .nest)
        let v31 = try row("3.1.0")
        #expect(v31.search == .flatSubstring && v31.visibility == .allButLocked && v31.albumListing == .flatSearch && v31.errors == .zod)
        for text in ["3.2.0", "3.3.5"] {
            let v3 = try row(text)
            #expect(v3.search == .structured && v3.albumListing == .filterSearch && v3.errors == .zod)
            #expect(v3.stacksAPI && v3.liveLinkField == "livePhotoVideoId")
        }
    }
}
