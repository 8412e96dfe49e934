import Shared
import Testing

/// Pairing of `changes/zone` records across pages.
@Suite struct ChangeBatchTests {
    static func master(_ name: String) -> CloudKitRecord { CloudKitRecord(recordName: name, recordType: "CPLMaster") }
    static func asset(_ name: String, master: String) -> CloudKitRecord {
        CloudKitRecord(recordName: name, recordType: "CPLAsset",
                       fields: ["masterRef": CloudKitField(value: .object(["recordName": .string(master)]), type: "REFERENCE")])
    }

    @Test func halvesOnDifferentPagesArePairedAndOtherTypesDropped() {
        var batch = ChangeBatch()
        batch.add([CloudKitRecord(recordName: "info", recordType: "CPLLibraryInfo"), Self.master("M1")])
        batch.add([Self.asset("S2", master: "M2"), CloudKitRecord(recordName: "x-IN-y", recordType: "CPLContainerRelation")])
        batch.add([Self.asset("S1", master: "M1"), CloudKitRecord(recordName: "gone", recordType: nil, deleted: true)])
        let changes = batch.changes
        #expect(changes.count == 2)
        guard case .pair(let m, let a) = changes[0], case .assetOnly(let name, let lone) = changes[1] else {
            Issue.record("unexpected \(changes)")
            return
        }
        #expect(m.recordName == "M1" && a.recordName == "S1")
        #expect(name == "M2" && lone.recordName == "S2")
        #expect(batch.tombstones == ["gone"])
    }

    @Test func aRecordChangedTwiceKeepsItsLastState() {
        var batch = ChangeBatch()
        var first = Self.asset("S1", master: "M1")
        first.fields["isFavorite"] = CloudKitField(value: .int(1), type: "INT64")
        var second = first
        second.fields["isFavorite"] = CloudKitField(value: .int(0), type: "INT64")
        batch.add([first])
        batch.add([second])
        guard case .assetOnly(_, let asset) = batch.changes.first else { Issue.record("no change"); return }
        #expect(asset.value("isFavorite") == .int(0))
    }

    @Test func masterJSONRoundTrips() {
        var m = Self.master("AM1Zq+/x")
        m.fields["filenameEnc"] = CloudKitField(value: .string("SU1HXzAwMDEuSlBH"), type: "ENCRYPTED_BYTES")
        m.fields["resOriginalRes"] = CloudKitField(value: .object(["size": .int(12), "fileChecksum": .string("AQ==")]), type: "ASSETID")
        #expect(CloudKitRecord.fromJSONText(m.jsonText) == m)
    }
}
