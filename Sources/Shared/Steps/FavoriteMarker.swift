import Foundation

/// The work of `immich-fav` on one batch: the chosen sizes of iCloud favourites become Immich
/// favourites (and, with `mirror`, those of other photos stop being), with one state read and
/// one bulk `PUT /assets` per wanted value per 1,000 ids. Assets already right are skipped.
final class FavoriteMarker {
    static let step = ImmichStep.fav
    static let chunkSize = 1000

    let client: ImmichClient
    let sizes: SizeList
    let mirror: Bool
    let states: FavoriteStates
    let concurrency: Int
    let dryRun: Bool
    private(set) var counters = StepCounters(step: step, keys: ["favorites", "unfavorites", "unchanged", "errors"])
    private var errors = RecordErrors(step: step)
    /// Mirroring: assets some photo of this run wanted marked. Two iCloud photos can share one
    /// file (an exact twin, or a Duplicate of one master); the file stays a favourite while either
    /// photo is one, so a later batch's other photo never unmarks it (that flip-flopped every run).
    private var favouredThisRun = Set<String>()

    init(client: ImmichClient, sizes: SizeList, mirror: Bool, concurrency: Int, dryRun: Bool) {
        self.client = client
        self.sizes = sizes
        self.mirror = mirror
        self.concurrency = concurrency
        self.states = FavoriteStates(states: AssetStates(client: client, concurrency: concurrency))
        self.dryRun = dryRun
    }

    func process(_ records: inout [PhotoRecord]) async throws {
        errors.startBatch()
        // asset → (wanted value, records using it)
        var wanted: [String: (favorite: Bool, records: [Int])] = [:]
        var order: [String] = []
        // A photo deleted in iCloud keeps its assets' marks: immich-trash handles it.
        for index in records.indices where records[index].wantsStep(.fav) && !records[index].isDeleted {
            let favorite = records[index].isFavorite
            guard favorite || mirror else { continue }
            for choice in sizes.choose(from: records[index], includeVideos: true) {
                if wanted[choice.asset] == nil {
                    order.append(choice.asset)
                    wanted[choice.asset] = (favorite, [])
                } else if favorite {
                    wanted[choice.asset]!.favorite = true  // a shared file: a favourite wins
                }
                wanted[choice.asset]!.records.append(index)
                if favorite && mirror { favouredThisRun.insert(choice.asset) }
            }
        }
        guard !order.isEmpty else { return }
        let current: Set<String>
        do {
            current = try await states.favorites(among: order)
        } catch {
            errors.add(&records, wanted.values.flatMap(\.records), "cannot read favourite states: \(client.describe(error))")
            counters["errors"] = errors.count
            return
        }
        var changes: [Bool: [String]] = [:]
        var applied: [String: Bool] = [:]
        for asset in order {
            let target = wanted[asset]!.favorite || favouredThisRun.contains(asset)
            if current.contains(asset) == target {
                counters["unchanged"] += 1
                applied[asset] = target
            } else {
                changes[target, default: []].append(asset)
            }
        }
        // Each bulk PUT sets one value on its own ids: they go out together.
        var updates: [(ids: [String], favorite: Bool)] = []
        for target in [true, false] {
            guard let ids = changes[target], !ids.isEmpty else { continue }
            if dryRun {
                Log.info("dry run: would \(target ? "mark" : "unmark") \(ids.count) asset(s) as favourite, e.g. \(ids[0])")
                continue
            }
            for start in stride(from: 0, to: ids.count, by: Self.chunkSize) {
                updates.append((Array(ids[start..<min(start + Self.chunkSize, ids.count)]), target))
            }
        }
        let client = self.client
        let outcomes = await concurrentMap(updates, limit: concurrency) { update in
            await Self.send(client, update.ids, favorite: update.favorite)
        }
        for (update, outcome) in zip(updates, outcomes) {
            record(outcome, favorite: update.favorite, wanted: wanted, records: &records, applied: &applied)
        }
        for index in records.indices where records[index].wantsStep(.fav) && !records[index].isDeleted && !errors.failed(index) {
            let mine = sizes.choose(from: records[index], includeVideos: true).map(\.asset).filter { applied[$0] != nil }
            guard !mine.isEmpty else { continue }
            records[index].markDone(.fav, ["favorite": .bool(records[index].isFavorite), "assets": .int(mine.count)])
        }
        counters["errors"] = errors.count
    }

    /// One bulk `PUT /assets` (idempotent), halved to find a bad id.
    static func send(_ client: ImmichClient, _ ids: [String], favorite: Bool) async -> BulkIdRequest.Outcome {
        await BulkIdRequest.send(client, ids) { ids in
            try await client.call("PUT", "/assets", body: ["ids": .array(ids.map(JSON.string)), "isFavorite": .bool(favorite)])
        }
    }

    private func record(_ outcome: BulkIdRequest.Outcome, favorite: Bool, wanted: [String: (favorite: Bool, records: [Int])],
                        records: inout [PhotoRecord], applied: inout [String: Bool]) {
        counters[favorite ? "favorites" : "unfavorites"] += outcome.applied.count
        for id in outcome.applied { applied[id] = favorite }
        states.note(outcome.applied, favorite: favorite)
        for (ids, message) in outcome.failed {
            let what = ids.count == 1 ? "asset \(ids[0])" : "\(ids.count) assets"
            errors.add(&records, ids.flatMap { wanted[$0]?.records ?? [] }, "cannot \(favorite ? "mark" : "unmark") \(what) as favourite: \(message)")
        }
    }
}
