import Foundation

/// A decoded `records/query` reply and icloudpd's master/asset pairing
/// (docs/references.md#icloudpd-cloudkit-listing).
public struct CloudKitQueryResponse: Sendable {
    public var records: [CloudKitRecord]
    public var continuationMarker: String?
    /// The zone's change token at listing time (asked for with `getCurrentSyncToken`).
    public var syncToken: String?

    public init(records: [CloudKitRecord], continuationMarker: String? = nil, syncToken: String? = nil) {
        self.records = records
        self.continuationMarker = continuationMarker
        self.syncToken = syncToken
    }

    public static func decode(_ data: Data) throws -> CloudKitQueryResponse {
        try parse(data)  // the project's parser: much faster than JSONDecoder here
    }

    /// Number of CPLMaster records: a page with none ends the listing.
    public var masterCount: Int { records.lazy.filter(\.isMaster).count }

    /// Pairing as icloudpd does it: every CPLAsset indexed by `masterRef.value.recordName`
    /// (a later asset for the same master wins, as in a Python dict), then one pair per
    /// CPLMaster in reply order. Other record types are ignored. A master without an asset
    /// (icloudpd: `KeyError`) is reported in `unpairedMasters` instead of crashing.
    public func pairs() -> (pairs: [(master: CloudKitRecord, asset: CloudKitRecord)], unpairedMasters: [String]) {
        var byMaster: [String: CloudKitRecord] = [:]
        for r in records where r.isAsset {
            if let m = r.masterRecordName { byMaster[m] = r }
        }
        var out: [(master: CloudKitRecord, asset: CloudKitRecord)] = []
        var missing: [String] = []
        for m in records where m.isMaster {
            if let a = byMaster[m.recordName] { out.append((m, a)) } else { missing.append(m.recordName) }
        }
        return (out, missing)
    }

    /// The page's assets, newest first as Apple returns them.
    public func photoAssets() -> [PhotoAsset] {
        pairs().pairs.map { PhotoAsset(master: $0.master, asset: $0.asset) }
    }
}
