import Foundation

/// The work of `immich-trash` on one batch: the assets of photos deleted in iCloud go to Immich's
/// trash (`DELETE /assets` with `force: false`, never a force delete), and, unless `restore` is
/// off, the trashed assets of photos back from Recently Deleted come out of it
/// (`POST /trash/restore/assets`). Trash states are read first, so assets already where they
/// should be cost no request and a second run changes nothing.
final class AssetTrasher {
    static let step = ImmichStep.trash
    static let chunkSize = 1000

    let client: ImmichClient
    let restore: Bool
    let states: AssetStates
    let concurrency: Int
    let dryRun: Bool
    private(set) var counters = StepCounters(step: step, keys: ["trashed", "restored", "unchanged", "errors"])
    private var errors = RecordErrors(step: step)

    init(client: ImmichClient, restore: Bool, concurrency: Int, dryRun: Bool) {
        self.client = client
        self.restore = restore
        self.concurrency = concurrency
        self.states = AssetStates(client: client, concurrency: concurrency)
        self.dryRun = dryRun
    }

    /// What a request does: trash (`DELETE /assets`) or restore.
    enum Action: Sendable {
        case trash, restore

        var counter: String { self == .trash ? "trashed" : "restored" }
        var verb: String { self == .trash ? "move" : "restore" }
    }

    /// Every asset of a record: its stills and live videos, once each.
    static func assets(of record: PhotoRecord) -> [String] {
        var seen = Set<String>()
        return record.fileRefs.compactMap(record.asset).filter { seen.insert($0).inserted }
    }

    func process(_ records: inout [PhotoRecord]) async throws {
        errors.startBatch()
        // asset → (action, records using it)
        var wanted: [String: (action: Action, records: [Int])] = [:]
        var order: [String] = []
        for index in records.indices where records[index].wantsStep(.trash) {
            let action: Action
            if records[index].isDeleted { action = .trash } else if restore && records[index].isRestored { action = .restore } else { continue }
            for asset in Self.assets(of: records[index]) {
                if wanted[asset] == nil {
                    order.append(asset)
                    wanted[asset] = (action, [])
                }
                wanted[asset]!.records.append(index)
            }
        }
        guard !order.isEmpty else { return }
        let trashed: [String: ImmichAsset]
        do {
            trashed = try await states.read(order, trashedOnly: true)
        } catch {
            errors.add(&records, wanted.values.flatMap(\.records), "cannot read trash states: \(client.describe(error))")
            counters["errors"] = errors.count
            return
        }
        var changes: [Action: [String]] = [:]
        var applied = Set<String>()
        for asset in order {
            let action = wanted[asset]!.action
            switch (action, trashed[asset]) {
            case (.trash, nil):
                changes[action, default: []].append(asset)
            case (.restore, .some(let state)) where !state.isOffline:
                changes[action, default: []].append(asset)
            case (.restore, .some):
                // Trashed by a scan (its file was missing): only a scan that finds the file again
                // brings it back; the trash restore leaves it.
                Log.warning("asset \(asset) is offline in Immich's trash: it comes back when a library scan finds its file")
                counters["unchanged"] += 1
            default:
                counters["unchanged"] += 1
                applied.insert(asset)
            }
        }
        var requests: [(ids: [String], action: Action)] = []
        for action in [Action.trash, .restore] {
            guard let ids = changes[action], !ids.isEmpty else { continue }
            if dryRun {
                Log.info("dry run: would \(action.verb) \(ids.count) asset(s) \(action == .trash ? "to" : "from") Immich's trash, e.g. \(ids[0])")
                continue
            }
            for start in stride(from: 0, to: ids.count, by: Self.chunkSize) {
                requests.append((Array(ids[start..<min(start + Self.chunkSize, ids.count)]), action))
            }
        }
        let client = self.client
        let outcomes = await concurrentMap(requests, limit: concurrency) { request in
            await Self.send(client, request.ids, request.action)
        }
        for (request, outcome) in zip(requests, outcomes) {
            counters[request.action.counter] += outcome.applied.count
            applied.formUnion(outcome.applied)
            for (ids, message) in outcome.failed {
                let what = ids.count == 1 ? "asset \(ids[0])" : "\(ids.count) assets"
                errors.add(&records, ids.flatMap { wanted[$0]?.records ?? [] },
                           "cannot \(request.action.verb) \(what) \(request.action == .trash ? "to" : "from") Immich's trash: \(message)")
            }
        }
        for index in records.indices where records[index].wantsStep(.trash) && !errors.failed(index) {
            let mine = Self.assets(of: records[index]).filter { applied.contains($0) && wanted[$0] != nil }
            guard !mine.isEmpty, let action = wanted[mine[0]]?.action else { continue }
            records[index].markDone(.trash, [action == .trash ? "trashed" : "restored": .int(mine.count)])
        }
        counters["errors"] = errors.count
    }

    /// Both requests are all-or-nothing and safe to repeat (`BulkIdRequest`). Restore answers
    /// `{count}`; an id it did not restore (no longer in the trash) needs nothing more either way.
    static func send(_ client: ImmichClient, _ ids: [String], _ action: Action) async -> BulkIdRequest.Outcome {
        await BulkIdRequest.send(client, ids) { ids in
            if action == .trash {
                try await client.call("DELETE", "/assets", body: ["ids": .array(ids.map(JSON.string)), "force": false])
            } else {
                try await client.call("POST", "/trash/restore/assets", body: ["ids": .array(ids.map(JSON.string))])
            }
        }
    }
}
