import Foundation
import Testing
@testable import Shared

@Suite struct StepRulesTests {
    // MARK: album rules

    @Test func rulesParseSizesAndTemplates() throws {
        let rule = try AlbumRule("[adjusted, medium]:iCloud/{:%Y/%m}")
        #expect(rule.sizes == SizeList(sizes: ["adjusted", "medium"]))
        #expect(rule.template.hasDate)
        let all = try AlbumRule("iCloud Photos")
        #expect(all.sizes == .all)
        #expect(all.template.render(nil) == "iCloud Photos")
    }

    @Test(arguments: [
        ("[adjusted,foo]:X", "unknown size 'foo'"),
        ("[Adjusted]:X", "unknown size 'Adjusted'"),
        ("[]:X", "the size list is empty"),
        ("[adjusted]:", "the album name is empty"),
        ("   ", "the album name is empty"),
        ("[adjusted]X", "must be followed by ':'"),
        ("[adjusted:X", "has no ']:'"),
        ("[stacked]:X", "'stacked' is not a size"),
        ("X/{%Y}", "bad placeholder '{%Y}'"),
        ("X/{}", "bad placeholder '{}'"),
        ("X/{0:%Y}", "bad placeholder '{0:%Y}'"),
        ("X/{Album}", "bad placeholder '{Album}': write {album} (the photo's iCloud album) or a date format"),
        ("X/{album:%Y}", "bad placeholder '{album:%Y}'"),
        ("X/{:%Y", "never closed"),
        ("X}", "no matching '{'"),
    ])
    func invalidRulesSayWhatIsWrong(rule: String, reason: String) {
        do {
            _ = try AlbumRule(rule)
            Issue.record("accepted '\(rule)'")
        } catch {
            #expect(error.message.contains("'\(rule)'"))
            #expect(error.message.contains(reason), "\(error.message)")
            #expect(error.code == .usage)
        }
    }

    @Test func templatesTakeSeveralPlaceholdersAndEscapes() throws {
        let template = try AlbumTemplate("{{Photos}} {:%Y} – {:%B}/{:%d}")
        let time = AlbumTimeZone.photo.localTime("2024-02-29T23:59:59.5+05:30")
        #expect(template.render(time) == "{Photos} 2024 – February/29")
        #expect(template.render(nil) == nil)
    }

    @Test func albumPlaceholdersTakeTheICloudAlbumAmongTextAndDates() throws {
        let template = try AlbumTemplate("iCloud/{album} {:%Y} {{album}}")
        #expect(template.hasAlbum && template.hasDate)
        let time = AlbumTimeZone.photo.localTime("2024-02-29T12:00:00Z")
        #expect(template.render(time, album: "Family/Kids") == "iCloud/Family/Kids 2024 {album}")
        #expect(try !AlbumTemplate("{:%Y}").hasAlbum)
        #expect(try AlbumRule("[adjusted]:{album}").template.render(nil, album: "Trip") == "Trip")
    }

    // MARK: dates and zones

    @Test func albumDatesUseThePhotosOwnOffsetByDefault() throws {
        let month = try AlbumTemplate("{:%Y/%m %Z}")
        #expect(month.render(AlbumTimeZone.photo.localTime("2024-12-31T23:30:00-08:00")) == "2024/12 UTC-08:00")
        #expect(month.render(try AlbumTimeZone.parse("utc").localTime("2024-12-31T23:30:00-08:00")) == "2025/01 UTC")
        #expect(month.render(try AlbumTimeZone.parse("Asia/Tokyo").localTime("2024-12-31T14:30:00Z")) == "2024/12 JST")
        #expect(month.render(try AlbumTimeZone.parse("Asia/Tokyo").localTime("2024-12-31T15:30:00Z")) == "2025/01 JST")
        #expect(month.render(AlbumTimeZone.photo.localTime("2025-01-01T00:00:00Z")) == "2025/01 UTC")
        #expect(throws: ToolError.self) { try AlbumTimeZone.parse("Mars/Olympus") }
    }

    @Test(arguments: ["", "2024-13-01T00:00:00Z", "2024-01-01", "2024-01-01T00:00:00+0", "2024-01-01T00:00:00 junk"])
    func unusableDatesAreRejected(text: String) {
        #expect(PhotoDate.parse(text) == nil)
    }

    @Test func datesKeepTheirOffset() throws {
        let (date, offset) = try #require(PhotoDate.parse("2024-01-15T14:03:22.250-08:00"))
        #expect(offset == -28_800)
        #expect(date.timeIntervalSince1970 == 1_705_356_202.25)
        #expect(PhotoDate.parse("2024-01-15 14:03:22+0100")?.1 == 3600)
    }

    // MARK: size selection

    static func record(_ files: [(String, String, String?)]) -> PhotoRecord {
        var object = JSONObject()
        for (size, path, asset) in files {
            var entry: JSONObject = ["path": .string(path)]
            if let asset { entry["asset"] = .string(asset) }
            object[size] = .object(entry)
        }
        return PhotoRecord(["type": "photo", "files": .object(object), "live": ["original": ["path": "/p/a.MOV", "asset": "v"]]])
    }

    @Test func selectorsFollowFallbacksCountSharedAssetsOnceAndSkipVideos() throws {
        let record = Self.record([("original", "/p/a.HEIC", "o"), ("adjusted", "/p/a.HEIC", "o"), ("medium", "/p/a-m.JPG", "m"),
                                  ("thumb", "/p/a-t.JPG", nil), ("alternative", "/p/a.MOV", "x")])
        #expect(SizeList.all.choose(from: record).map(\.asset) == ["o", "m"])
        #expect(try SizeList.parse("adjusted", what: "t").choose(from: record) == [.init(size: "adjusted", asset: "o")])
        #expect(try SizeList.parse("medium,adjusted,original", what: "t").choose(from: record).map(\.asset) == ["m", "o"])
        #expect(SizeList.all.choose(from: record, order: PhotoStacker.primaryOrder).map(\.size) == ["adjusted", "medium"])
        #expect(throws: ToolError.self) { try SizeList.parse("original,,medium", what: "t") }
        #expect(throws: ToolError.self) { try SizeList.parse("live", what: "t") }
    }

    // MARK: stack plans

    @Test func stackPlansMakeTheFewestChanges() {
        let photo: Set<String> = ["a", "o", "m"]
        func plan(_ stacks: [StackPlan.Existing], desired: [String] = ["a", "o", "m"]) -> StackPlan {
            StackPlan.decide(desired: desired, photoAssets: photo) { asset in stacks.first { $0.members.contains(asset) } }
        }
        #expect(plan([]) == .create(assetIds: ["a", "o", "m"]))
        #expect(plan([.init(id: "s", primary: "a", members: ["a", "o", "m"])]) == .unchanged(stackId: "s"))
        // The user's choice of another of the photo's sizes on top is kept.
        #expect(plan([.init(id: "s", primary: "m", members: ["m", "o", "a"])]) == .unchanged(stackId: "s"))
        // A foreign primary over all our sizes: one PUT.
        #expect(plan([.init(id: "s", primary: "z", members: ["z", "a", "o", "m"])]) == .setPrimary(stackId: "s", primary: "a"))
        // A missing member: one POST listing the kept primary first, which merges the old stack.
        #expect(plan([.init(id: "s", primary: "o", members: ["o", "m"])]) == .create(assetIds: ["o", "a", "m"]))
        // Spread over two stacks: ours wins.
        #expect(plan([.init(id: "s", primary: "a", members: ["a", "x"]), .init(id: "t", primary: "m", members: ["m", "o"])])
            == .create(assetIds: ["a", "o", "m"]))
        // Only in a foreign stack as a member: our own stack takes them.
        #expect(plan([.init(id: "s", primary: "z", members: ["z", "o"])]) == .create(assetIds: ["a", "o", "m"]))
    }
}
