import Foundation
import Sandbox
import Shared
import Testing

/// icloudpd downloading from the fake iCloud: names, folders, bytes, mtimes, second runs.
@Suite struct ICloudPDDownloadTests {
    /// icloudpd's names for `--size original` (default policies), written out by hand from
    /// icloudpd's naming (docs/references.md#icloudpd-naming), for the library's 16 kinds. Returns
    /// (relative path, photo index, resource prefix).
    static func expectedOriginals(_ f: ICloudPDDownloadFixture) -> [(String, Int, String)] {
        var out: [(String, Int, String)] = []
        for i in 0..<f.library.count {
            let n = String(format: "%04d", i)
            let dir = f.folder(i) + "/"
            switch f.library.kind(i) {
            case .liveHEIC: out += [(dir + "IMG_\(n).HEIC", i, "resOriginal"), (dir + "IMG_\(n)_HEVC.MOV", i, "resOriginalVidCompl")]
            case .plainJPEG, .editedJPEG: out.append((dir + "IMG_\(n).JPG", i, "resOriginal"))
            case .editedHEIC, .plainHEICString: out.append((dir + "IMG_\(n).HEIC", i, "resOriginal"))
            case .rawPlusJPEG: out.append((dir + "IMG_\(n).\((i / 16) % 2 == 1 ? "CR2" : "JPG")", i, "resOriginal"))
            case .video: out.append((dir + "MVI_\(n).MOV", i, "resOriginal"))
            case .screenshotPNG: out.append((dir + "Screenshot_ \(n)_.PNG", i, "resOriginal"))
            case .unicodeName: out.append((dir + "Caf del Mar \(n).HEIC", i, "resOriginal"))
            case .collideSecond: out.append((dir + "IMG_SAME.JPG", i, "resOriginal"))  // newer: listed first
            case .collideFirst:
                let size = f.library.photo(index: i).resources[0].size
                out.append((dir + "IMG_SAME-\(size).JPG", i, "resOriginal"))
            case .nonASCIIName: out += [(dir + ".jpg.JPG", i, "resOriginal"), (dir + ".jpg", i, "resOriginalVidCompl")]
            case .noFilename: out.append((dir + "AM\(String(format: "%06d", i))Zq__.JPG".replacingOccurrences(of: "AM00", with: "AM00"), i, "resOriginal"))
            case .liveJPEG: out += [(dir + "IMG_\(n).JPG", i, "resOriginal"), (dir + "IMG_\(n).MOV", i, "resOriginalVidCompl")]
            case .twinSecond: out.append((dir + "TWIN.JPG", i, "resOriginal"))
            case .twinFirst: break  // same name and size as its newer twin: "already exists" (icloudpd quirk 4)
            }
        }
        return out
    }

    @Test func downloadsTheLibraryWithIcloudpdNamesThenNothing() async throws {
        let f = try ICloudPDDownloadFixture(photos: 48)
        let first = try await f.run([])
        #expect(first.status == 0, "\(first.stderr)\n\(first.stdout.suffix(2000))")
        let expected = Self.expectedOriginals(f)
        #expect(f.files() == expected.map(\.0).sorted())
        for (path, index, prefix) in expected {
            #expect(f.bytes(path) == f.library.content(index: index, prefix: prefix), "bytes of \(path)")
            let date = Date(timeIntervalSince1970: Double(f.library.photo(index: index).assetDate / 1000))
            #expect(f.mtime(path) == date, "mtime of \(path)")
        }
        #expect(first.stdout.contains("Downloading 48 original photos and videos to \(f.directory) ..."))
        #expect(first.stdout.contains("All photos and videos have been downloaded"))
        // Indexing, albums, one page, the empty page; then each of the 3 albums' members (one page, the empty page).
        #expect(f.count("POST /database/1/com.apple.photos.cloud/production/private/records/query") == 4 + 3 * 2)

        f.icloud.resetCounts()
        let second = try await f.run(["--full-listing"])  // a listing, not a change check
        #expect(second.status == 0, "\(second.stderr)")
        #expect(f.count("GET /content") == 0)
        #expect(second.stdout.contains("already exists"))
        #expect(!second.stdout.contains("Downloaded "))
    }
}
