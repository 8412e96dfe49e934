import Foundation
import Testing
@testable import Shared

@Suite struct CloudKitRecordTests {
    @Test func decodesAndPairsByMasterRef() throws {
        let page = try Fixture.page1()
        #expect(page.continuationMarker == "xyz")
        #expect(page.masterCount == 11)
        let (pairs, orphans) = page.pairs()
        #expect(pairs.count == 10)
        #expect(orphans == ["AY6cOrphan"])
        // Reply order of masters is kept even though one asset came first.
        #expect(pairs.map(\.master.recordName).prefix(3) == ["AY6cLive1", "AY6cJpeg2", "AY6cRaw3"])
        #expect(pairs.allSatisfy { $0.asset.masterRecordName == $0.master.recordName })
    }

    @Test func assetFields() throws {
        let a = try Fixture.asset("AY6cLive1")
        #expect(a.rawFilename == "IMG_0001.HEIC")
        #expect(a.itemType == .image)
        #expect(a.isLivePhoto)
        #expect(a.isFavorite)
        #expect(a.timeZoneOffset == -10800)
        #expect(a.assetDate == Date(timeIntervalSince1970: 1_733_488_357))
        #expect(a.addedDate == Date(timeIntervalSince1970: 1_733_488_362))
        #expect(a.adjustmentType == "com.apple.photo")
        // Asset fields win over master fields.
        #expect(a.versions[.medium]?.size == 810)
        #expect(a.versions[.adjusted]?.type == "public.jpeg")
        #expect(a.versions[.original]?.url.hasSuffix("${f}?o=x") == true)
        #expect(a.versions[.original]?.checksum == "AQAY6cLive1resOriginal")
        #expect(a.liveVersions[.original]?.size == 3000)
        #expect(a.liveVersions[.medium]?.size == 1500)
        #expect(a.liveVersions[.thumb]?.size == 700)
        #expect(a.problems.isEmpty)
    }

    @Test func videoVersionsUseVideoPrefixes() throws {
        let v = try Fixture.asset("AY6cVid4")
        #expect(v.itemType == .movie)
        #expect(v.versions[.medium]?.size == 4000)
        #expect(v.versions[.thumb]?.size == 400)
        #expect(v.liveVersions.isEmpty)
        #expect(!v.isLivePhoto)
    }

    @Test func tolerantOfMissingFields() throws {
        let json = #"{"records":[{"recordName":"M","recordType":"CPLMaster","fields":{"resOriginalRes":{"value":{"size":5},"type":"ASSETID"},"bogus":3}},{"recordType":"CPLAsset","fields":{"masterRef":{"value":{"recordName":"M"}}}}]}"#
        let page = try CloudKitQueryResponse.decode(Data(json.utf8))
        let a = try #require(page.photoAssets().first)
        #expect(a.itemType == nil)
        #expect(a.itemTypeExtension == "unknown")
        #expect(a.versions.isEmpty)
        #expect(a.problems == ["Expected resOriginalFileType, but missing it"])
        #expect(a.assetDate == Date(timeIntervalSince1970: 0))
        #expect(FileNaming.baseFilename(a, policy: .nameSizeDedupWithSuffix, keepUnicode: false) == "M.unknown")
    }

    @Test func unknownItemTypeInferredFromName() throws {
        func asset(_ name: String) -> PhotoAsset {
            PhotoAsset(master: CloudKitRecord(recordName: "X", recordType: "CPLMaster",
                                              fields: ["filenameEnc": CloudKitField(value: .string(name), type: "STRING"),
                                                       "itemType": CloudKitField(value: .string("public.avif"), type: "STRING")]),
                       asset: CloudKitRecord(recordName: "A", recordType: "CPLAsset"))
        }
        #expect(asset("a.JPEG").itemType == .image)
        #expect(asset("a.png").itemType == .image)
        #expect(asset("a.avif").itemType == .movie)
    }
}
