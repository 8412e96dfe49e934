import Foundation

/// The work of `immich-stack` on one batch: stack each photo's chosen still sizes (one request
/// per photo that needs one, none for a photo already stacked right) and, when asked, link
/// each chosen still to its live video with `PUT /assets/{id}`.
final class PhotoStacker {
    static let step = ImmichStep.stack
    static let primaryOrder = ["adjusted", "original", "alternative", "medium", "thumb"]

    let client: ImmichClient
    let stackSizes: SizeList?
    let liveSizes: SizeList?
    let states: AssetStates
    let concurrency: Int
    let dryRun: Bool
    private let index = StackIndex()
    private var indexLoaded = false
    private(set) var counters = StepCounters(step: step, keys: ["stacksCreated", "stacksFixed", "stacksUnchanged", "liveLinks", "liveUnchanged", "errors"])
    private var errors = RecordErrors(step: step)

    init(client: ImmichClient, stackSizes: SizeList?, liveSizes: SizeList?, concurrency: Int, dryRun: Bool) {
        self.client = client
        self.stackSizes = stackSizes
        self.liveSizes = liveSizes
        self.concurrency = concurrency
        self.states = AssetStates(client: client, concurrency: concurrency)
        self.dryRun = dryRun
    }

    func process(_ records: inout [PhotoRecord]) async throws {
        errors.startBatch()
        // A photo deleted in iCloud is left as it is (immich-trash handles it).
        let wanted = records.indices.filter { records[$0].wantsStep(.stack) && !records[$0].isDeleted }
        if let stackSizes { await stack(&records, wanted, sizes: stackSizes) }
        if let liveSizes { await link(&records, wanted, sizes: liveSizes) }
        for recordIndex in wanted { index.forgetAssets(SizeList.stillAssets(of: records[recordIndex])) }
        counters["errors"] = errors.count
    }

    // MARK: stacks

    private func stack(_ records: inout [PhotoRecord], _ wanted: [Int], sizes: SizeList) async {
        let plans = wanted.compactMap { index -> (Int, [String])? in
            let chosen = sizes.choose(from: records[index], order: Self.primaryOrder).map(\.asset)
            return chosen.count >= 2 ? (index, chosen) : nil
        }
        guard !plans.isEmpty else { return }
        if !indexLoaded {
            do {
                try await index.load(client)
                indexLoaded = true
            } catch {
                errors.add(&records, plans.map(\.0), "cannot read existing stacks: \(client.describe(error))")
                return
            }
        }
        // Decide every photo first (in one place, against the index), then send the calls with a
        // few in flight: each photo's call touches only its own assets.
        let decisions = plans.map { (recordIndex, desired) in
            (recordIndex, StackPlan.decide(desired: desired, photoAssets: SizeList.stillAssets(of: records[recordIndex]), stackOf: index.stack(of:)))
        }
        var calls: [(record: Int, call: StackCall)] = []
        for (recordIndex, plan) in decisions {
            switch plan {
            case .unchanged(let stackId):
                counters["stacksUnchanged"] += 1
                finish(&records[recordIndex], stackId: stackId, action: "unchanged")
            case .setPrimary(let stackId, let primary):
                if dryRun {
                    Log.info("dry run: would make \(primary) the primary of stack \(stackId) (photo \(records[recordIndex].id ?? "?"))")
                } else {
                    calls.append((recordIndex, .setPrimary(stackId: stackId, primary: primary)))
                }
            case .create(let ids):
                let merges = ids.contains { index.stack(of: $0) != nil }
                if dryRun {
                    Log.info("dry run: would \(merges ? "restack" : "stack") \(ids.count) assets of photo \(records[recordIndex].id ?? "?") with \(ids[0]) on top")
                } else {
                    calls.append((recordIndex, .create(ids: ids, merges: merges)))
                }
            }
        }
        // New stacks of unstacked assets touch nothing else: they go several at a time. Changes to
        // existing stacks can interact (a create merges stacks whose primary it lists), so they
        // go one by one, in order, afterwards.
        let client = self.client
        let independent = calls.filter { $0.call.isFresh }
        let dependent = calls.filter { !$0.call.isFresh }
        var replies = await concurrentMap(independent.map(\.call), limit: concurrency) { call in
            await call.send(client)
        }
        for (_, call) in dependent { replies.append(await call.send(client)) }
        for ((recordIndex, call), reply) in zip(independent + dependent, replies) {
            switch reply {
            case .success(let stack):
                index.apply(stack)
                switch call {
                case .setPrimary(let stackId, _):
                    counters["stacksFixed"] += 1
                    finish(&records[recordIndex], stackId: stackId, action: "primary")
                case .create(_, let merges):
                    counters[merges ? "stacksFixed" : "stacksCreated"] += 1
                    finish(&records[recordIndex], stackId: stack["id"]?.stringValue ?? "", action: merges ? "merged" : "created")
                }
            case .failure(let message):
                errors.add(&records, [recordIndex], "cannot stack the photo's sizes: \(message)")
            }
        }
    }

    /// One stack change to send; sending needs only the (Sendable) client.
    enum StackCall: Sendable {
        case setPrimary(stackId: String, primary: String)
        case create(ids: [String], merges: Bool)

        /// A new stack whose assets are in no stack yet.
        var isFresh: Bool { if case .create(_, let merges) = self { !merges } else { false } }

        enum Reply: Sendable {
            case success(JSON)
            case failure(String)
        }

        func send(_ client: ImmichClient) async -> Reply {
            do {
                switch self {
                case .setPrimary(let stackId, let primary):
                    return .success(try await client.call("PUT", "/stacks/\(stackId)", body: ["primaryAssetId": .string(primary)]))
                case .create(let ids, _):
                    return .success(try await NonIdempotentPost(client: client).send("/stacks", body: ["assetIds": .array(ids.map(JSON.string))]) {
                        try await PhotoStacker.landedStack(client, primary: ids[0], members: ids)
                    })
                }
            } catch {
                return .failure(client.describe(error))
            }
        }
    }

    /// After a failed `POST /stacks`: the stack, if the first attempt created it.
    static func landedStack(_ client: ImmichClient, primary: String, members: [String]) async throws -> JSON? {
        let stacks = try await client.call("GET", "/stacks", query: [("primaryAssetId", primary)])
        return stacks.arrayValue?.first { stack in
            let ids = Set((stack["assets"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
            return Set(members).isSubset(of: ids)
        }
    }

    private func finish(_ record: inout PhotoRecord, stackId: String, action: String) {
        record.object["stack"] = .string(stackId)
        record.markDone(.stack, ["stack": .string(stackId), "action": .string(action)])
    }

    // MARK: live links

    /// Each chosen still of a live photo gets the video of its own size, else the original's.
    private func link(_ records: inout [PhotoRecord], _ wanted: [Int], sizes: SizeList) async {
        var links: [(record: Int, still: String, video: String)] = []
        for recordIndex in wanted {
            let record = records[recordIndex]
            let original = record.asset(PhotoRecord.FileRef(group: .live, size: "original"))
            for choice in sizes.choose(from: record) {
                let video = record.asset(PhotoRecord.FileRef(group: .live, size: choice.size)) ?? original
                guard let video, !video.isEmpty, video != choice.asset else { continue }
                links.append((recordIndex, choice.asset, video))
            }
        }
        guard !links.isEmpty else { return }
        var current: [String: ImmichAsset] = [:]
        let unknown = Set(links.filter { index.assets[$0.still] == nil }.map(\.still))
        do {
            current = try await states.read(unknown)
        } catch {
            Log.warning("cannot read the stills' live links (\(client.describe(error))); linking them all")
        }
        var linkedHere = Set<String>()
        var calls: [(record: Int, still: String, video: String)] = []
        for link in links {
            let now = index.assets[link.still]?.livePhotoVideoId ?? current[link.still]?.livePhotoVideoId
            if now == link.video || !linkedHere.insert(link.still).inserted {
                counters["liveUnchanged"] += 1
                continue
            }
            if dryRun {
                Log.info("dry run: would link still \(link.still) to live video \(link.video)")
                continue
            }
            calls.append(link)
        }
        // Each call sets one still's own field (an idempotent PUT): they go out together, after
        // every stack of the batch.
        let client = self.client
        let field = client.capabilities.liveLinkField ?? "livePhotoVideoId"
        let failures = await concurrentMap(calls, limit: concurrency) { call -> String? in
            do {
                try await client.call("PUT", "/assets/\(call.still)", body: .object([field: .string(call.video)]))
                return nil
            } catch {
                return client.describe(error)
            }
        }
        for (link, failure) in zip(calls, failures) {
            if let failure {
                errors.add(&records, [link.record], "cannot link still \(link.still) to its live video: \(failure)")
                continue
            }
            index.noteLink(still: link.still, video: link.video)
            counters["liveLinks"] += 1
            var done = records[link.record].object["done"]?["live"]?.intValue ?? 0
            done += 1
            records[link.record].markDone(key: "live", .int(done))
        }
    }
}
