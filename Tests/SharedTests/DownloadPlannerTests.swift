import Foundation
import Testing
@testable import Shared

@Suite struct DownloadPlannerTests {
    struct Case: Sendable, CustomStringConvertible {
        var id: String
        var opts: DownloadOptions
        var files: [String]
        var live: String?
        var description: String { "\(id) \(opts.sizes.sizes) → \(files)" }
    }

    static let cases: [Case] = [
        Case(id: "AY6cLive1", opts: options(), files: ["IMG_0001.HEIC"], live: "IMG_0001_HEVC.MOV"),
        Case(id: "AY6cLive1", opts: options([.original, .adjusted, .medium, .thumb]),
             files: ["IMG_0001.HEIC", "IMG_0001.JPG", "IMG_0001-medium.JPG", "IMG_0001-thumb.JPG"], live: "IMG_0001_HEVC.MOV"),
        Case(id: "AY6cLive1", opts: options(live: .original), files: ["IMG_0001.HEIC"], live: "IMG_0001.MOV"),
        Case(id: "AY6cLive1", opts: options(liveSize: .medium), files: ["IMG_0001.HEIC"], live: "IMG_0001_HEVC-medium.MOV"),
        Case(id: "AY6cLive1", opts: options(liveSize: .thumb), files: ["IMG_0001.HEIC"], live: "IMG_0001_HEVC-thumb.MOV"),
        Case(id: "AY6cLive1", opts: options(skipLive: true), files: ["IMG_0001.HEIC"], live: nil),
        Case(id: "AY6cLive1", opts: options(policy: .nameId7), files: ["IMG_0001_QVk2Y0x.HEIC"], live: "IMG_0001_QVk2Y0x_HEVC.MOV"),
        // Edited JPEG: -adjusted only when the original is also requested.
        Case(id: "AY6cJpeg2", opts: options([.original, .adjusted]), files: ["IMG_0002.JPG", "IMG_0002-adjusted.JPG"], live: nil),
        Case(id: "AY6cJpeg2", opts: options([.adjusted]), files: ["IMG_0002.JPG"], live: nil),
        // icloudpd quirk 1: override names skip id7.
        Case(id: "AY6cJpeg2", opts: options([.original, .adjusted], policy: .nameId7),
             files: ["IMG_0002_QVk2Y0p.JPG", "IMG_0002-adjusted.JPG"], live: nil),
        // RAW + JPEG.
        Case(id: "AY6cRaw3", opts: options([.original, .alternative]), files: ["IMG_0003.JPG", "IMG_0003.CR2"], live: nil),
        Case(id: "AY6cRaw3", opts: options([.original, .alternative], alignRaw: .original), files: ["IMG_0003.CR2", "IMG_0003.JPG"], live: nil),
        Case(id: "AY6cRaw3", opts: options([.original], alignRaw: .original), files: ["IMG_0003.CR2"], live: nil),
        Case(id: "AY6cRaw3", opts: options([.original], alignRaw: .alternative), files: ["IMG_0003.JPG"], live: nil),
        Case(id: "AY6cRaw3", opts: options([.alternative]), files: ["IMG_0003.CR2"], live: nil),
        Case(id: "AY6cRaw3", opts: options([.original, .adjusted, .alternative]), files: ["IMG_0003.JPG", "IMG_0003.JPG", "IMG_0003.CR2"], live: nil),
        // Video.
        Case(id: "AY6cVid4", opts: options([.original, .medium, .thumb]), files: ["MOV_0004.MOV", "MOV_0004-medium.MOV", "MOV_0004-thumb.MOV"], live: nil),
        Case(id: "AY6cVid4", opts: options([.adjusted]), files: ["MOV_0004.MOV"], live: nil),
        // Unicode.
        Case(id: "AY6cCafe5", opts: options([.original, .adjusted]), files: ["Caf del Mar.HEIC", "Caf del Mar.JPG"], live: nil),
        Case(id: "AY6cCafe5", opts: options([.original], keepUnicode: true), files: ["Café del Mar.HEIC"], live: nil),
        // icloudpd quirk 3: all-non-ASCII names.
        Case(id: "AY6cTokyo6", opts: options(), files: [".jpg.JPG"], live: ".jpg"),
        Case(id: "AY6cTokyo6", opts: options(keepUnicode: true), files: ["東京タワー.JPG"], live: "東京タワー.MOV"),
        Case(id: "Acg+EM6JpmWlxyz", opts: options(), files: ["Acg_EM6JpmWl.MOV"], live: nil),
        Case(id: "Acg+EM6JpmWlxyz", opts: options(policy: .nameId7), files: ["Acg_EM6JpmWl_QWNnK0V.MOV"], live: nil),
        Case(id: "AY6cSlash8", opts: options(), files: ["back_slash.JPG"], live: nil),
        Case(id: "AY6cSlash8", opts: options([.medium]), files: ["back_slash.JPG"], live: nil),
        Case(id: "AY6cHeif9", opts: options(), files: ["IMG_0009.HEIF"], live: "IMG_0009.MOV"),
        // icloudpd quirk 2: override names keep unicode.
        Case(id: "AY6cCafe10", opts: options([.original, .adjusted]), files: ["Caf.JPG", "Café-adjusted.JPG"], live: nil),
        Case(id: "AY6cCafe10", opts: options([.original, .adjusted], policy: .nameId7), files: ["Caf_QVk2Y0N.JPG", "Café-adjusted.JPG"], live: nil),
    ]

    @Test(arguments: cases)
    func names(_ c: Case) throws {
        let p = try plan(c.id, c.opts)
        #expect(p.error == nil)
        #expect(SharedTests.names(p) == c.files)
        #expect(liveName(p) == c.live)
        #expect(p.directory == "/p/2024/12/06")
    }

    @Test func fallbacks() throws {
        // --size adjusted alone on an unedited photo: the original, under its own name.
        let a = try plan("AY6cSlash8", options([.adjusted]))
        #expect(a.files[.adjusted]?.fallback == .original)
        #expect(a.files[.adjusted]?.path == "/p/2024/12/06/back_slash.JPG")
        // Original also requested: the adjusted entry points at the original's file, no own action.
        let b = try plan("AY6cSlash8", options([.adjusted, .original]))
        #expect(b.files[.adjusted]?.path == b.files[.original]?.path)
        #expect(b.files[.adjusted]?.fallback == .original)
        #expect(b.files[.adjusted]?.ownAction == false)
        #expect(b.files[.original]?.fallback == nil)
        // medium missing, original requested → served by original; force-size → skipped.
        let c = try plan("AY6cSlash8", options([.original, .medium]))
        #expect(c.files[.medium]?.path == "/p/2024/12/06/back_slash.JPG")
        let d = try plan("AY6cSlash8", options([.medium, .original], forceSize: true))
        #expect(d.files[.medium] == nil)
        #expect(d.skipped[.medium] == "medium size does not exist for back_slash.jpg. Skipping...")
        #expect(d.files[.original] != nil)
        // Edited photo asked for adjusted: no fallback.
        #expect(try plan("AY6cJpeg2", options([.adjusted])).files[.adjusted]?.fallback == nil)
        // --force-size does not stop adjusted/alternative fallbacks when original is not requested.
        #expect(try plan("AY6cSlash8", options([.adjusted], forceSize: true)).files[.adjusted]?.fallback == .original)
    }

    @Test func bothMissingSizesMapToOneFile() throws {
        let p = try plan("AY6cSlash8", options([.medium, .thumb]))
        #expect(p.files[.medium]?.path == p.files[.thumb]?.path)
        #expect(p.files[.medium]?.exists == false)
        #expect(p.files[.thumb]?.exists == true) // icloudpd: "already exists" after the first download
        #expect(p.applyUntilFound(to: 7) == 1)
    }

    @Test func existenceAndDedup() throws {
        let dir = "/p/2024/12/06/"
        // Same name, same size → exists.
        var p = try plan("AY6cJpeg2", options(), fs: InMemoryFileSystem([dir + "IMG_0002.JPG": 20000]))
        #expect(p.files[.original]?.exists == true)
        #expect(p.files[.original]?.needsDownload == false)
        #expect(p.applyUntilFound(to: 2) == 3)
        // Same name, other size → -<size> suffix.
        p = try plan("AY6cJpeg2", options(), fs: InMemoryFileSystem([dir + "IMG_0002.JPG": 123]))
        #expect(p.files[.original]?.path == dir + "IMG_0002-20000.JPG")
        #expect(p.files[.original]?.deduplicated == true)
        #expect(p.files[.original]?.exists == false)
        // ... and the dedup file already there (no size check on it).
        p = try plan("AY6cJpeg2", options(), fs: InMemoryFileSystem([dir + "IMG_0002.JPG": 123, dir + "IMG_0002-20000.JPG": 1]))
        #expect(p.files[.original]?.exists == true)
        // name-id7: existence by name only.
        p = try plan("AY6cJpeg2", options(policy: .nameId7), fs: InMemoryFileSystem([dir + "IMG_0002_QVk2Y0p.JPG": 1]))
        #expect(p.files[.original]?.exists == true)
        #expect(p.files[.original]?.deduplicated == false)
        // Medium dedup name.
        p = try plan("AY6cLive1", options([.medium]), fs: InMemoryFileSystem([dir + "IMG_0001-medium.JPG": 1]))
        #expect(p.files[.medium]?.path == dir + "IMG_0001-medium-810.JPG")
    }

    @Test func legacyOriginalName() throws {
        let dir = "/p/2024/12/06/"
        var p = try plan("AY6cJpeg2", options(), fs: InMemoryFileSystem([dir + "IMG_0002-original.JPG": 20000]))
        #expect(p.files[.original]?.exists == true)
        #expect(p.files[.original]?.legacyOriginalPath == dir + "IMG_0002-original.JPG")
        p = try plan("AY6cJpeg2", options(), fs: InMemoryFileSystem([dir + "IMG_0002-original.JPG": 5]))
        #expect(p.files[.original]?.path == dir + "IMG_0002-20000.JPG")
        #expect(p.files[.original]?.exists == false)
        // Not for other sizes.
        p = try plan("AY6cJpeg2", options([.adjusted]), fs: InMemoryFileSystem([dir + "IMG_0002-original.JPG": 19000]))
        #expect(p.files[.adjusted]?.exists == false)
    }

    @Test func liveVideoCollidesWithRealVideoUnderOriginalPolicy() throws {
        let dir = "/p/2024/12/06/"
        let p = try plan("AY6cLive1", options(live: .original), fs: InMemoryFileSystem([dir + "IMG_0001.MOV": 182829]))
        #expect(p.live?.path == dir + "IMG_0001-3000.MOV")
        #expect(p.live?.deduplicated == true)
        #expect(p.live?.untilFound == UntilFoundEffect.none)
    }

    @Test func exactTwinsCollapse() throws {
        var fs = InMemoryFileSystem()
        let first = try plan("AY6cJpeg2", options(), fs: fs)
        DownloadPlanner.record(first, into: &fs)
        let twin = try plan("AY6cJpeg2", options(), fs: fs)
        #expect(twin.files[.original]?.exists == true)
        #expect(fs.paths == ["/p/2024/12/06/IMG_0002.JPG"])
    }

    @Test func folders() throws {
        #expect(try plan("AY6cJpeg2", options(folder: "none")).directory == "/p")
        #expect(try plan("AY6cJpeg2", options(dir: "/p/", folder: "NONE")).files[.original]?.path == "/p/IMG_0002.JPG")
        #expect(try plan("AY6cJpeg2", options(folder: "{:%Y}/{:%m}")).error != nil)
        #expect(try plan("AY6cJpeg2", options(folder: "{0:%Y}/{0:%B}")).directory == "/p/2024/December")
        // Local zone, not timeZoneOffset: 12:32Z is the 7th in Tokyo... no, 21:32 on the 6th; in Kiritimati (+14) the 7th.
        #expect(try plan("AY6cJpeg2", options(), zone: FixedZone(seconds: 14 * 3600, name: "+14")).directory == "/p/2024/12/07")
        #expect(try plan("AY6cJpeg2", options(), zone: FixedZone(seconds: -13 * 3600, name: "-13")).directory == "/p/2024/12/05")
    }

    @Test func missingOriginalSkipsAsset() throws {
        let json = #"{"records":[{"recordName":"M","recordType":"CPLMaster","fields":{"itemType":{"value":"public.jpeg","type":"STRING"},"filenameEnc":{"value":"a.jpg","type":"STRING"}}},{"recordName":"A","recordType":"CPLAsset","fields":{"masterRef":{"value":{"recordName":"M"}}}}]}"#
        let a = try #require(CloudKitQueryResponse.decode(Data(json.utf8)).photoAssets().first)
        let p = DownloadPlanner.plan(a, options: options([.medium]), fileSystem: InMemoryFileSystem(), zone: FixedZone.utc)
        #expect(p.error != nil)
        #expect(p.files.isEmpty)
    }
}
