import Foundation

/// The work of `immich-album` on one batch: resolve every rule for every photo, then per album
/// one `POST /albums` with its first assets (when it does not exist yet) or one
/// `PUT /albums/{id}/assets` with the assets it lacks. Per-id results are read: `duplicate`
/// means already there; anything else is an error on the records using that asset.
final class AlbumFiller {
    static let step = ImmichStep.album
    static let chunkSize = 1000

    let client: ImmichClient
    let rules: [AlbumRule]
    let timeZone: AlbumTimeZone
    let directory: AlbumDirectory
    let concurrency: Int
    let dryRun: Bool
    private(set) var counters = StepCounters(step: step, keys: ["albumsCreated", "albumAdds", "unchanged", "errors"])
    private var errors = RecordErrors(step: step)

    init(client: ImmichClient, userId: String, rules: [AlbumRule], timeZone: AlbumTimeZone, concurrency: Int, dryRun: Bool) {
        self.client = client
        self.concurrency = concurrency
        self.rules = rules
        self.timeZone = timeZone
        self.directory = AlbumDirectory(client: client, userId: userId)
        self.dryRun = dryRun
    }

    /// The assets one album should hold after this batch, and who asked for each.
    struct Wanted {
        var ids: [String] = []
        var users: [String: [Int]] = [:]
        mutating func add(_ id: String, record: Int) {
            if users[id] == nil { ids.append(id) }
            users[id, default: []].append(record)
        }
    }

    func process(_ records: inout [PhotoRecord]) async throws {
        errors.startBatch()
        var albums: [String: Wanted] = [:]
        var order: [String] = []
        var namesOfRecord: [Int: [String]] = [:]
        for index in records.indices where records[index].wantsStep(.album) {
            let time = records[index].created.flatMap(timeZone.localTime)
            for rule in rules {
                let chosen = rule.sizes.choose(from: records[index], includeVideos: true)
                guard !chosen.isEmpty else { continue }
                guard let name = rule.template.render(time) else {
                    errors.add(&records, [index], "album rule '\(rule.source)': the photo has no usable \"created\" date (\(records[index].created ?? "missing"))")
                    continue
                }
                guard name.contains(where: { !$0.isWhitespace }) else {
                    errors.add(&records, [index], "album rule '\(rule.source)' gives an empty album name for this photo")
                    continue
                }
                if albums[name] == nil { order.append(name); albums[name] = Wanted() }
                for choice in chosen { albums[name]!.add(choice.asset, record: index) }
                if !(namesOfRecord[index]?.contains(name) ?? false) { namesOfRecord[index, default: []].append(name) }
            }
        }
        guard !order.isEmpty else { return }
        do {
            try await directory.loadIfNeeded()
        } catch {
            errors.add(&records, namesOfRecord.keys, "cannot list albums: \(client.describe(error))")
            counters["errors"] = errors.count
            return
        }
        // Albums are made to exist one by one (a create is a non-idempotent POST, checked before
        // any resend); the additions, one PUT per album and 1,000 ids, then go out together.
        var additions: [(name: String, albumId: String, ids: [String])] = []
        for name in order {
            guard let (albumId, pending) = await prepare(name, albums[name]!, records: &records) else { continue }
            for start in stride(from: 0, to: pending.count, by: Self.chunkSize) {
                additions.append((name, albumId, Array(pending[start..<min(start + Self.chunkSize, pending.count)])))
            }
        }
        let client = self.client
        let replies = await concurrentMap(additions, limit: concurrency) { addition -> Result<JSON, ToolError> in
            do {
                return .success(try await client.call("PUT", "/albums/\(addition.albumId)/assets", body: ["ids": .array(addition.ids.map(JSON.string))]))
            } catch {
                return .failure(client.toolError(error, doing: "talk to Immich"))
            }
        }
        for (addition, reply) in zip(additions, replies) {
            record(reply, addition.ids, album: addition.name, albumId: addition.albumId, wanted: albums[addition.name]!, records: &records)
        }
        for (index, names) in namesOfRecord where !errors.failed(index) && !dryRun {
            records[index].markDone(.album, .array(names.map(JSON.string)))
        }
        counters["errors"] = errors.count
    }

    /// Makes the album exist and returns the assets it still lacks (nil: nothing left to add).
    private func prepare(_ name: String, _ wanted: Wanted, records: inout [PhotoRecord]) async -> (String, [String])? {
        var pending = wanted.ids
        var albumId: String
        do {
            if let album = directory.byName[name] {
                albumId = album.id
                let present = try await directory.members(of: albumId)
                counters["unchanged"] += pending.filter(present.contains).count
                pending.removeAll(where: present.contains)
                if pending.isEmpty { return nil }
                if dryRun {
                    Log.info("dry run: would add \(pending.count) asset(s) to album '\(name)'")
                    return nil
                }
            } else {
                if dryRun {
                    Log.info("dry run: would create album '\(name)' with \(pending.count) asset(s)")
                    return nil
                }
                let first = Array(pending.prefix(Self.chunkSize))
                let reply = try await NonIdempotentPost(client: client).send(
                    "/albums", body: ["albumName": .string(name), "assetIds": .array(first.map(JSON.string))]
                ) { try await self.directory.landed(name: name) }
                guard let album = AlbumDirectory.album(reply, userId: directory.userId) else {
                    throw ToolError.runtime("unexpected answer to POST /api/albums")
                }
                albumId = album.id
                counters["albumsCreated"] += 1
                // No per-id results here: compare the count, and on a shortfall read who is in.
                if reply["assetCount"]?.intValue == first.count {
                    directory.add(album, members: Set(first))
                } else {
                    directory.add(album, members: nil)
                }
                let present = try await directory.members(of: albumId)
                counters["albumAdds"] += first.filter(present.contains).count
                for id in first where !present.contains(id) {
                    errors.add(&records, wanted.users[id] ?? [], "Immich did not add asset \(id) to the new album '\(name)' (no access, or it is gone)")
                }
                pending = Array(pending.dropFirst(first.count))
            }
        } catch {
            errors.add(&records, pending.flatMap { wanted.users[$0] ?? [] }, "cannot use album '\(name)': \(client.describe(error))")
            return nil
        }
        return pending.isEmpty ? nil : (albumId, pending)
    }

    /// Reads the per-id results of one `PUT /albums/{id}/assets`.
    private func record(_ reply: Result<JSON, ToolError>, _ chunk: [String], album name: String, albumId: String, wanted: Wanted,
                        records: inout [PhotoRecord]) {
        let results: JSON
        switch reply {
        case .success(let json): results = json
        case .failure(let error):
            errors.add(&records, chunk.flatMap { wanted.users[$0] ?? [] }, "cannot add assets to album '\(name)': \(error.message)")
            return
        }
        var answered = Set<String>()
        for result in results.arrayValue ?? [] {
            guard let id = result["id"]?.stringValue else { continue }
            answered.insert(id)
            if result["success"]?.boolValue == true {
                counters["albumAdds"] += 1
                directory.noteAdded([id], to: albumId)
            } else if result["error"]?.stringValue == "duplicate" {
                counters["unchanged"] += 1
                directory.noteAdded([id], to: albumId)
            } else {
                let reason = result["errorMessage"]?.stringValue ?? result["error"]?.stringValue ?? "unknown error"
                errors.add(&records, wanted.users[id] ?? [], "cannot add asset \(id) to album '\(name)': \(reason)")
            }
        }
        for id in chunk where !answered.contains(id) {
            errors.add(&records, wanted.users[id] ?? [], "Immich gave no result for asset \(id) added to album '\(name)'")
        }
    }
}
