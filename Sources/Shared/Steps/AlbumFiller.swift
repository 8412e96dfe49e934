import Foundation

/// The work of `immich-album` on one batch: resolve every rule for every photo, then per album
/// one `POST /albums` with its first assets (when it does not exist yet) or one
/// `PUT /albums/{id}/assets` with the assets it lacks. Per-id results are read: `duplicate`
/// means already there; anything else is an error on the records using that asset. Each asset
/// an add really added is claimed in `AlbumClaims`; with `mirror`, a claimed asset the rules no
/// longer put in its album (the photo left the iCloud album, or was deleted) is taken out with
/// `DELETE /albums/{id}/assets`. Nothing unclaimed is ever removed.
final class AlbumFiller {
    static let step = ImmichStep.album
    static let chunkSize = 1000

    let client: ImmichClient
    let rules: [AlbumRule]
    let timeZone: AlbumTimeZone
    let directory: AlbumDirectory
    let claims: AlbumClaims
    let mirror: Bool
    let concurrency: Int
    let dryRun: Bool
    private(set) var counters = StepCounters(step: step, keys: ["albumsCreated", "albumAdds", "albumRemovals", "unchanged", "errors"])
    private var errors = RecordErrors(step: step)
    /// This batch's claim changes, written together before its records go on.
    private var claimed: [AlbumClaims.Claim] = []
    private var released: [(albumId: String, assetId: String)] = []

    init(client: ImmichClient, userId: String, rules: [AlbumRule], timeZone: AlbumTimeZone, claims: AlbumClaims, mirror: Bool,
         concurrency: Int, dryRun: Bool) {
        self.client = client
        self.concurrency = concurrency
        self.rules = rules
        self.timeZone = timeZone
        self.directory = AlbumDirectory(client: client, userId: userId)
        self.claims = claims
        self.mirror = mirror
        self.dryRun = dryRun
    }

    /// The assets one album should hold after this batch, who asked for each, and by which rule.
    struct Wanted {
        var ids: [String] = []
        var users: [String: [Int]] = [:]
        var rules: [String: String] = [:]
        mutating func add(_ id: String, record: Int, rule: String) {
            if users[id] == nil { ids.append(id); rules[id] = rule }
            users[id, default: []].append(record)
        }
    }

    func process(_ records: inout [PhotoRecord]) async throws {
        errors.startBatch()
        claimed = []
        released = []
        var albums: [String: Wanted] = [:]
        var order: [String] = []
        var namesOfRecord: [Int: [String]] = [:]
        /// asset → the album names the rules give it in this batch.
        var wantedNames: [String: Set<String>] = [:]
        /// Records whose memberships are mirrored: only those that say what their albums are.
        var mirrored: [Int] = []
        for index in records.indices where records[index].wantsStep(.album) {
            if mirror && records[index].albums != nil { mirrored.append(index) }
            // A photo deleted in iCloud joins no album; with mirror it leaves the rules' albums.
            if records[index].isDeleted { continue }
            let time = records[index].created.flatMap(timeZone.localTime)
            for rule in rules {
                let chosen = rule.sizes.choose(from: records[index], includeVideos: true)
                guard !chosen.isEmpty else { continue }
                let memberships = rule.template.hasAlbum ? records[index].albums ?? [] : [""]
                for membership in memberships {
                    guard let name = rule.template.render(time, album: membership) else {
                        errors.add(&records, [index], "album rule '\(rule.source)': the photo has no usable \"created\" date (\(records[index].created ?? "missing"))")
                        break
                    }
                    guard name.contains(where: { !$0.isWhitespace }) else {
                        errors.add(&records, [index], "album rule '\(rule.source)' gives an empty album name for this photo")
                        continue
                    }
                    if albums[name] == nil { order.append(name); albums[name] = Wanted() }
                    for choice in chosen {
                        albums[name]!.add(choice.asset, record: index, rule: rule.source)
                        wantedNames[choice.asset, default: []].insert(name)
                    }
                    if !(namesOfRecord[index]?.contains(name) ?? false) { namesOfRecord[index, default: []].append(name) }
                }
            }
        }
        guard !order.isEmpty || !mirrored.isEmpty else { return }
        let departures: [Departure]
        do {
            departures = try self.departures(of: mirrored, records: records)
        } catch {
            errors.add(&records, mirrored, "cannot read the album state: \(error.message)")
            counters["errors"] = errors.count
            return
        }
        guard !order.isEmpty || !departures.isEmpty else { return }
        do {
            try await directory.loadIfNeeded()
        } catch {
            errors.add(&records, Set(namesOfRecord.keys).union(mirrored), "cannot list albums: \(client.describe(error))")
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
        let replies = await sendAlbumAssets("PUT", additions.map { ($0.albumId, $0.ids) })
        for (addition, reply) in zip(additions, replies) {
            record(reply, addition.ids, album: addition.name, albumId: addition.albumId, wanted: albums[addition.name]!, records: &records)
        }
        await remove(departures, wantedNames: wantedNames, records: &records)
        if !dryRun {
            do {
                try claims.update(adding: claimed, removing: released)
            } catch {
                // Unrecorded adds could never be mirrored: the records stay pending and come back.
                errors.add(&records, Set(namesOfRecord.keys).union(mirrored), "cannot write the album state: \(error.message)")
            }
        }
        for (index, names) in namesOfRecord where !errors.failed(index) && !dryRun {
            records[index].markDone(.album, .array(names.map(JSON.string)))
        }
        counters["errors"] = errors.count
    }

    /// A claimed asset that its album should no longer hold, and the records it belongs to.
    struct Departure {
        let albumId: String
        let assetId: String
        let records: [Int]
    }

    /// The claims a mirrored record may lose: their rule is still one of ours, and it names
    /// albums after iCloud's (`{album}`), or the photo was deleted (then any rule's). Whether
    /// the rules still want the pair is decided once the albums are known (`remove`).
    private func departures(of mirrored: [Int], records: [PhotoRecord]) throws(ToolError) -> [Departure] {
        var owners: [String: [Int]] = [:]
        for index in mirrored {
            for asset in SizeList.stillAssets(of: records[index]) { owners[asset, default: []].append(index) }
        }
        guard !owners.isEmpty else { return [] }
        let found = try claims.claims(onAssets: owners.keys)
        guard !found.isEmpty else { return [] }
        let rulesBySource = Dictionary(rules.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        var departures: [Departure] = []
        for claim in found {
            guard let rule = rulesBySource[claim.rule], let users = owners[claim.assetId] else { continue }
            let deleted = users.allSatisfy { records[$0].isDeleted }
            guard rule.template.hasAlbum || deleted else { continue }
            departures.append(Departure(albumId: claim.albumId, assetId: claim.assetId, records: users))
        }
        return departures
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
                claimed += first.filter(present.contains).map { AlbumClaims.Claim(albumId: albumId, assetId: $0, rule: wanted.rules[$0] ?? "") }
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
        let unanswered = Self.perIdResults(results, sent: chunk) { id, error, reason in
            if error == nil {
                counters["albumAdds"] += 1
                directory.noteAdded([id], to: albumId)
                claimed.append(AlbumClaims.Claim(albumId: albumId, assetId: id, rule: wanted.rules[id] ?? ""))
            } else if error == "duplicate" {
                counters["unchanged"] += 1
                directory.noteAdded([id], to: albumId)
            } else {
                errors.add(&records, wanted.users[id] ?? [], "cannot add asset \(id) to album '\(name)': \(reason)")
            }
        }
        for id in unanswered {
            errors.add(&records, wanted.users[id] ?? [], "Immich gave no result for asset \(id) added to album '\(name)'")
        }
    }

    /// One `method /albums/{id}/assets` per (album, ids) — `PUT` adds, `DELETE` removes — sent
    /// `concurrency` at a time; the answers in the same order.
    private func sendAlbumAssets(_ method: String, _ requests: [(albumId: String, ids: [String])]) async -> [Result<JSON, ToolError>] {
        let client = self.client
        return await concurrentMap(requests, limit: concurrency) { request -> Result<JSON, ToolError> in
            do {
                return .success(try await client.call(method, "/albums/\(request.albumId)/assets", body: ["ids": .array(request.ids.map(JSON.string))]))
            } catch {
                return .failure(client.toolError(error, doing: "talk to Immich"))
            }
        }
    }

    /// Hands each per-id answer of an album asset request (`BulkIdResponseDto`) to `each`: the
    /// id, its error code (nil: success) and the reason to show. Returns the ids sent but not answered.
    private static func perIdResults(_ results: JSON, sent ids: [String], _ each: (String, String?, String) -> Void) -> [String] {
        var answered = Set<String>()
        for result in results.arrayValue ?? [] {
            guard let id = result["id"]?.stringValue else { continue }
            answered.insert(id)
            let error = result["success"]?.boolValue == true ? nil : (result["error"]?.stringValue ?? "")
            each(id, error, result["errorMessage"]?.stringValue ?? result["error"]?.stringValue ?? "unknown error")
        }
        return ids.filter { !answered.contains($0) }
    }

    /// Takes the departures out of their albums: the ones the rules still want stay, pairs whose
    /// album is gone or no longer holds the asset are only forgotten; the rest go in one
    /// `DELETE /albums/{id}/assets` per album and 1,000 ids, sent together.
    private func remove(_ departures: [Departure], wantedNames: [String: Set<String>], records: inout [PhotoRecord]) async {
        var byAlbum: [String: [Departure]] = [:]
        var albumOrder: [String] = []
        for departure in departures {
            guard let album = directory.album(id: departure.albumId) else {
                released.append((departure.albumId, departure.assetId))
                continue
            }
            if wantedNames[departure.assetId]?.contains(album.name) ?? false { continue }
            if byAlbum[album.id] == nil { albumOrder.append(album.id) }
            byAlbum[album.id, default: []].append(departure)
        }
        var removals: [(album: AlbumDirectory.Album, ids: [String])] = []
        var usersOf: [String: [Int]] = [:]
        for albumId in albumOrder {
            let album = directory.album(id: albumId)!
            let leaving = byAlbum[albumId]!
            for departure in leaving { usersOf[departure.assetId, default: []] += departure.records }
            let present: Set<String>
            do {
                present = try await directory.members(of: albumId)
            } catch {
                errors.add(&records, leaving.flatMap(\.records), "cannot read album '\(album.name)': \(client.describe(error))")
                continue
            }
            var ids: [String] = []
            for departure in leaving {
                if present.contains(departure.assetId) { ids.append(departure.assetId) } else { released.append((albumId, departure.assetId)) }
            }
            guard !ids.isEmpty else { continue }
            if dryRun {
                Log.info("dry run: would remove \(ids.count) asset(s) from album '\(album.name)'")
                continue
            }
            for start in stride(from: 0, to: ids.count, by: Self.chunkSize) {
                removals.append((album, Array(ids[start..<min(start + Self.chunkSize, ids.count)])))
            }
        }
        let replies = await sendAlbumAssets("DELETE", removals.map { ($0.album.id, $0.ids) })
        for (removal, reply) in zip(removals, replies) {
            let name = removal.album.name
            let results: JSON
            switch reply {
            case .success(let json): results = json
            case .failure(let error):
                errors.add(&records, removal.ids.flatMap { usersOf[$0] ?? [] }, "cannot remove assets from album '\(name)': \(error.message)")
                continue
            }
            let unanswered = Self.perIdResults(results, sent: removal.ids) { id, error, reason in
                if error == nil || error == "not_found" {
                    // not_found: taken out meanwhile (by hand), nothing left to undo.
                    if error == nil { counters["albumRemovals"] += 1 }
                    released.append((removal.album.id, id))
                    directory.noteRemoved([id], from: removal.album.id)
                } else {
                    errors.add(&records, usersOf[id] ?? [], "cannot remove asset \(id) from album '\(name)': \(reason)")
                }
            }
            for id in unanswered {
                errors.add(&records, usersOf[id] ?? [], "Immich gave no result for asset \(id) removed from album '\(name)'")
            }
        }
    }
}
