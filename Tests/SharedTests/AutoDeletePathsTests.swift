import Foundation
import Testing
@testable import Shared

/// The paths `--auto-delete` considers, as icloudpd's `autodelete_photos` computes them.
@Suite struct AutoDeletePathsTests {
    @Test func everyVersionAndItsSidecarInTheDateFolder() throws {
        let asset = try Fixture.asset("AY6cJpeg2")
        let options = DownloadOptions(directory: "/p", sizes: SizeOptions(sizes: [.original]))
        let paths = AutoDelete.paths(asset, options: options, zone: FixedZone.utc)
        let folder = try FolderStructure.default.directory(root: "/p", date: asset.assetDate, zone: FixedZone.utc)
        #expect(!paths.isEmpty)
        #expect(paths.allSatisfy { $0.hasPrefix(folder + "/") })
        // Each media path once, and once more with .xmp; every version the asset has, not just --size.
        let media = paths.filter { !$0.hasSuffix(".xmp") }
        #expect(Set(paths.filter { $0.hasSuffix(".xmp") }) == Set(media.map { $0 + ".xmp" }))
        #expect(media.count >= asset.versions.filter { $0.key != .adjusted && $0.key != .alternative }.count)
        let original = FileNaming.stillFilename(asset, version: try #require(asset.versions[.original]), size: .original,
                                                options: NamingOptions(keepUnicode: true))
        #expect(media.contains(folder + "/" + original))
    }

    /// icloudpd names them with the default policy whatever --file-match-policy says: under
    /// name-id7 it misses the downloaded files, and so do we (deleting more than icloudpd would
    /// is not a fix anyone asked for).
    @Test func namesIgnoreTheId7Policy() throws {
        let asset = try Fixture.asset("AY6cJpeg2")
        var options = DownloadOptions(directory: "/p", sizes: SizeOptions(sizes: [.original, .adjusted]))
        options.naming.fileMatchPolicy = .nameId7
        let paths = AutoDelete.paths(asset, options: options, zone: FixedZone.utc)
        #expect(!paths.isEmpty)
        #expect(paths.allSatisfy { !$0.contains("_" + FileNaming.id7(asset.id)) })
    }
}
