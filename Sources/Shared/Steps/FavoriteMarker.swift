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
    let states: AssetStates
    let dryRun: Bool
    private(set) var counters = StepCounters(step: step, keys: ["favorites", "unfavorites", "unchanged", "errors"])
    private var errors = RecordErrors(step: step)

    init(client: ImmichClient, sizes: SizeList, mirror: Bool, mapping: PathMapping, dryRun: Bool) {
        self.client = client
        self.sizes = sizes
        self.mirror = mirror
        self.states = AssetStates(client: client, mapping: mapping)
        self.dryRun = dryRun
    }

    func process(_ records: inout [PhotoRecord]) async throws {
        errors.startBatch()
        // asset → (wanted value, records using it, local path)
        var wanted: [String: (favorite: Bool, records: [Int], path: String?)] = [:]
        var order: [String] = []
        for index in records.indices where records[index].wantsStep(.fav) {
            let favorite = records[index].isFavorite
            guard favorite || mirror else { continue }
            for choice in sizes.choose(from: records[index], includeVideos: true) {
                if wanted[choice.asset] == nil {
                    order.append(choice.asset)
                    wanted[choice.asset] = (favorite, [], records[index].path(PhotoRecord.FileRef(group: .files, size: choice.size)))
                }
                wanted[choice.asset]!.records.append(index)
            }
        }
        guard !order.isEmpty else { return }
        let current: Set<String>
        do {
            current = try await states.favorites(among: wanted.mapValues { $0.path })
        } catch {
            errors.add(&records, wanted.values.flatMap(\.records), "cannot read favourite states: \(client.describe(error))")
            counters["errors"] = errors.count
            return
        }
        var changes: [Bool: [String]] = [:]
        var applied: [String: Bool] = [:]
        for asset in order {
            let target = wanted[asset]!.favorite
            if current.contains(asset) == target {
                counters["unchanged"] += 1
                applied[asset] = target
            } else {
                changes[target, default: []].append(asset)
            }
        }
        for target in [true, false] {
            guard let ids = changes[target], !ids.isEmpty else { continue }
            if dryRun {
                Log.info("dry run: would \(target ? "mark" : "unmark") \(ids.count) asset(s) as favourite, e.g. \(ids[0])")
                continue
            }
            for start in stride(from: 0, to: ids.count, by: Self.chunkSize) {
                let chunk = Array(ids[start..<min(start + Self.chunkSize, ids.count)])
                await update(chunk, favorite: target, wanted: wanted, records: &records, applied: &applied)
            }
        }
        for index in records.indices where records[index].wantsStep(.fav) && !errors.failed(index) {
            let mine = sizes.choose(from: records[index], includeVideos: true).map(\.asset).filter { applied[$0] != nil }
            guard !mine.isEmpty else { continue }
            records[index].markDone(.fav, ["favorite": .bool(records[index].isFavorite), "assets": .int(mine.count)])
        }
        counters["errors"] = errors.count
    }

    /// Bulk updates are all-or-nothing: a 400 means some id is bad, so halve until it is found
    /// and put the error on the records that use it only.
    private func update(_ ids: [String], favorite: Bool, wanted: [String: (favorite: Bool, records: [Int], path: String?)],
                        records: inout [PhotoRecord], applied: inout [String: Bool]) async {
        do {
            try await client.call("PUT", "/assets", body: ["ids": .array(ids.map(JSON.string)), "isFavorite": .bool(favorite)])
            counters[favorite ? "favorites" : "unfavorites"] += ids.count
            for id in ids { applied[id] = favorite }
        } catch let error as ImmichAPIError where error.status == 400 && ids.count > 1 {
            let half = ids.count / 2
            await update(Array(ids[..<half]), favorite: favorite, wanted: wanted, records: &records, applied: &applied)
            await update(Array(ids[half...]), favorite: favorite, wanted: wanted, records: &records, applied: &applied)
        } catch {
            let what = ids.count == 1 ? "asset \(ids[0])" : "\(ids.count) assets"
            errors.add(&records, ids.flatMap { wanted[$0]?.records ?? [] }, "cannot \(favorite ? "mark" : "unmark") \(what) as favourite: \(client.describe(error))")
        }
    }
}
