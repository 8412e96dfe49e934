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
        #expect(ImmichVersion("1.127.0")! >= ImmichVersion.substringPathSearch)
        #expect(ImmichVersion("x") == nil)
    }
}
