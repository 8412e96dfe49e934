import Foundation
import Sandbox
import Shared
import Testing

/// icloudpd's incremental sync against the fake iCloud: change tokens, the state database,
/// favourites, edits and deletions after the first run (issue #8, "Done means").
@Suite struct ICloudPDIncrementalTests {
    static let sizes = ["--size", "original", "--size", "adjusted"]
    static let favourited = [1, 2, 4], unfavourited = [6], edited = [7, 18], deleted = [10, 11]

    /// 5 added, 3 favourited, 1 unfavourited, 2 edited, 2 deleted.
    static func mutate(_ library: inout SandboxPhotoLibrary) {
        library.addPhotos(5)
        for i in favourited { library.setFavorite(i, true) }
        for i in unfavourited { library.setFavorite(i, false) }
        for i in edited { library.edit(i) }
        for i in deleted { library.delete(i) }
    }

    var cloudKitRequests: (ICloudPDDownloadFixture) -> Int = { f in
        f.icloud.requestCounts().filter { $0.key.contains("/database/1/") }.values.reduce(0, +)
    }

    static func downloadedPaths(_ records: [JSON]) -> Set<String> {
        var out = Set<String>()
        for record in records {
            for group in ["files", "live"] {
                for (_, file) in record[group]?.objectValue ?? JSONObject() where file["status"]?.stringValue == "downloaded" {
                    out.insert(file["path"]?.stringValue ?? "")
                }
            }
        }
        return out
    }

    @Test func aSecondRunMakesExactlyTheChangesAndEmitsExactlyTheirRecords() async throws {
        let f = try ICloudPDDownloadFixture(photos: 48) { $0.changesPageSize = 3 }  // halves of a photo on different pages
        let first = try await f.run(Self.sizes + ["--records"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try f.records(first.stdout).count == 48)
        let before = Set(f.files())

        f.icloud.setConfig { Self.mutate(&$0.library) }
        f.icloud.resetCounts()
        let second = try await f.run(Self.sizes + ["--records"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(f.count("POST /database/1/com.apple.photos.cloud/production/private/records/query") == 0, "no listing")
        let records = try f.records(second.stdout)
        var changed: [String: [String]] = [:]
        for record in records {
            changed[record["id"]?.stringValue ?? "", default: []] += (record["changed"]?.arrayValue ?? []).compactMap(\.stringValue)
        }
        let lib = f.library
        func id(_ i: Int) -> String { lib.photo(index: i).masterName }
        var expected: [String: [String]] = [:]
        for i in 48..<53 { expected[id(i)] = ["new"] }
        for i in Self.favourited + Self.unfavourited { expected[id(i)] = ["favorite"] }
        for i in Self.edited { expected[id(i)] = ["edited"] }
        for i in Self.deleted { expected[id(i)] = ["deleted"] }
        #expect(records.count == 13)
        #expect(changed == expected)
        for i in Self.favourited { #expect(records.first { $0["id"]?.stringValue == id(i) }?["favorite"]?.boolValue == true) }
        #expect(records.first { $0["id"]?.stringValue == id(6) }?["favorite"]?.boolValue == false)
        // On disk: exactly the files the records say were downloaded; deleted photos' files stay.
        let after = Set(f.files())
        #expect(before.isSubset(of: after))
        let added = Set(after.subtracting(before).map { f.directory + "/" + $0 })
        #expect(added == Self.downloadedPaths(records))
        #expect(added.count >= 7)
        #expect(added.contains { $0.contains("Caf del Mar 0007") && $0.hasSuffix(".JPG") }, "the new edit's render")

        // A full listing now finds everything in place.
        f.icloud.resetCounts()
        let full = try await f.run(Self.sizes + ["--full-listing"])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(f.count("GET /content") == 0)
        #expect(Set(f.files()) == after)
    }

    @Test func aRunWithNothingChangedMakesAtMostTwoCloudKitRequests() async throws {
        let f = try ICloudPDDownloadFixture(photos: 48)
        #expect(try await f.run([]).status == 0)
        f.icloud.resetCounts()
        let second = try await f.run(["--records"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(cloudKitRequests(f) <= 2, "\(f.icloud.requestCounts())")
        #expect(f.count("GET /content") == 0)
        #expect(second.stdout.isEmpty)
        #expect(second.stderr.contains("No changes"))
    }

    @Test func anExpiredTokenGivesTheSameFilesThroughAFullListing() async throws {
        let incremental = try ICloudPDDownloadFixture(photos: 48)
        let expired = try ICloudPDDownloadFixture(photos: 48)
        for f in [incremental, expired] { #expect(try await f.run(Self.sizes).status == 0) }
        incremental.icloud.setConfig { Self.mutate(&$0.library) }
        expired.icloud.setConfig { Self.mutate(&$0.library); $0.library.expireTokens() }
        let a = try await incremental.run(Self.sizes + ["--records"])
        let b = try await expired.run(Self.sizes + ["--records"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
        #expect(b.stderr.components(separatedBy: "refused the saved change token").count == 2, "one log line")
        // The fallback's records are the changes against the state database, as the change run's.
        func changes(_ stdout: String) throws -> [String: [String]] {
            Dictionary(uniqueKeysWithValues: try incremental.records(stdout).map {
                ($0["id"]?.stringValue ?? "", ($0["changed"]?.arrayValue ?? []).compactMap(\.stringValue).sorted())
            })
        }
        #expect(try changes(b.stdout) == changes(a.stdout), "\(b.stdout)")
        #expect(try changes(a.stdout).count == 13)
        #expect(incremental.files() == expired.files())
        // The fallback stored a fresh token: the next run is incremental again.
        expired.icloud.resetCounts()
        #expect(try await expired.run(Self.sizes).status == 0)
        #expect(cloudKitRequests(expired) <= 2)
    }

    @Test func switchingFromAnIcloudpdFolderDownloadsNothing() async throws {
        let f = try ICloudPDDownloadFixture(photos: 48)
        // Files written without a state database (as icloudpd would have), then ours with one.
        #expect(try await f.run(Self.sizes + ["--state-db", f.root + "/scratch.sqlite"]).status == 0)
        f.icloud.resetCounts()
        let adopted = try await f.run(Self.sizes)
        #expect(adopted.status == 0, "\(adopted.stderr)")
        #expect(f.count("GET /content") == 0)
        #expect(FileManager.default.fileExists(atPath: f.cookieDirectory + "/dlexamplecom.PrimarySync.state.sqlite"))
        f.icloud.resetCounts()
        #expect(try await f.run(Self.sizes).status == 0)
        #expect(cloudKitRequests(f) <= 2)
    }

    @Test func changedOptionsListTheWholeLibraryAgain() async throws {
        let f = try ICloudPDDownloadFixture(photos: 20)
        #expect(try await f.run([]).status == 0)
        f.icloud.resetCounts()
        let medium = try await f.run(["--size", "medium"])
        #expect(medium.status == 0, "\(medium.stderr)")
        #expect(medium.stdout.contains("options changed"))
        #expect(f.count("POST /database/1/com.apple.photos.cloud/production/private/records/query") > 0)
        #expect(f.files().contains { $0.contains("-medium") })
    }

    @Test func listingOptionsKeepIcloudpdsMeaningAndLeaveTheTokenAlone() async throws {
        let f = try ICloudPDDownloadFixture(photos: 48)
        #expect(try await f.run([]).status == 0)
        let state = f.cookieDirectory + "/dlexamplecom.PrimarySync.state.sqlite"
        let token = try StateDatabase(path: state).zoneToken("PrimarySync")
        f.icloud.setConfig { $0.library.addPhotos(2) }
        f.icloud.resetCounts()
        let recent = try await f.run(["--recent", "3"])
        #expect(recent.status == 0, "\(recent.stderr)")
        #expect(f.count("POST /database/1/com.apple.photos.cloud/production/private/records/query") > 0, "a listing")
        #expect(try StateDatabase(path: state).zoneToken("PrimarySync") == token)
        // The change run after it sees the two new photos as already there: nothing to download.
        f.icloud.resetCounts()
        #expect(try await f.run([]).status == 0)
        #expect(f.count("GET /content") == 0)
    }

    /// --until-found shapes only the first listing: with a valid change token the change feed
    /// answers what is new exactly (no listing, the token moves on).
    @Test func untilFoundWithAChangeTokenIsAChangeRun() async throws {
        let f = try ICloudPDDownloadFixture(photos: 48)
        #expect(try await f.run(["--until-found", "5"]).status == 0)
        let state = f.cookieDirectory + "/dlexamplecom.PrimarySync.state.sqlite"
        let token = try #require(try StateDatabase(path: state).zoneToken("PrimarySync"))
        f.icloud.setConfig { $0.library.addPhotos(2) }
        f.icloud.resetCounts()
        let second = try await f.run(["--until-found", "5", "--records"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(f.count("POST /database/1/com.apple.photos.cloud/production/private/records/query") == 0, "no listing")
        #expect(try f.records(second.stdout).count == 2)
        #expect(try StateDatabase(path: state).zoneToken("PrimarySync") != token)
    }
}
