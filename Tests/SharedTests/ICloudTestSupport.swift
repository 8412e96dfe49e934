import Foundation
import Testing
@testable import Shared

enum Fixture {
    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    static func page1() throws -> CloudKitQueryResponse {
        try CloudKitQueryResponse.decode(data("records_query_page1"))
    }

    static func asset(_ id: String) throws -> PhotoAsset {
        try #require(page1().photoAssets().first { $0.id == id })
    }
}

func options(_ sizes: [AssetVersionSize] = [.original], dir: String = "/p", folder: String = "{:%Y/%m/%d}",
             policy: FileMatchPolicy = .nameSizeDedupWithSuffix, keepUnicode: Bool = false,
             live: LivePhotoMovFilenamePolicy = .suffix, liveSize: LivePhotoVersionSize = .original,
             alignRaw: RawTreatmentPolicy = .asIs, forceSize: Bool = false, skipLive: Bool = false) -> DownloadOptions {
    DownloadOptions(directory: dir, folderStructure: FolderStructure(template: folder),
                    sizes: SizeOptions(sizes: sizes, forceSize: forceSize, alignRaw: alignRaw, livePhotoSize: liveSize,
                                       skipLivePhotos: skipLive),
                    naming: NamingOptions(fileMatchPolicy: policy, keepUnicode: keepUnicode, livePhotoMovFilenamePolicy: live))
}

func plan(_ id: String, _ o: DownloadOptions, fs: InMemoryFileSystem = InMemoryFileSystem(),
          zone: any ZoneRule = FixedZone.utc) throws -> AssetPlan {
    DownloadPlanner.plan(try Fixture.asset(id), options: o, fileSystem: fs, zone: zone)
}

/// Last path component (names under test).
func names(_ p: AssetPlan) -> [String] {
    p.order.compactMap { p.files[$0].map { String($0.path.split(separator: "/").last ?? "") } }
}

func liveName(_ p: AssetPlan) -> String? { p.live.map { String($0.path.split(separator: "/").last ?? "") } }
