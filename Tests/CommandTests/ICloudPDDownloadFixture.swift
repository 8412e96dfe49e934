import Foundation
import Sandbox
import Shared
import Testing

/// A fake iCloud with a generated library, a download directory and a runner for icloudpd
/// (TZ=UTC so folders and mtimes are predictable).
final class ICloudPDDownloadFixture: @unchecked Sendable {
    // @unchecked: used from one test at a time.
    static let username = "dl@example.com"
    static let password = "download-password"
    let icloud: SandboxICloud
    let root: String
    var directory: String { root + "/photos" }
    var cookieDirectory: String { root + "/cookies" }

    init(photos: Int = 48, tls: TLSIdentity? = nil, configure: (inout SandboxICloud.Config) -> Void = { _ in }) throws {
        var config = SandboxICloud.Config()
        config.accounts = [SandboxICloud.Account(username: Self.username, password: Self.password, twoFactor: false)]
        config.library = SandboxPhotoLibrary(count: photos)
        configure(&config)
        icloud = SandboxICloud(config: config)
        try icloud.start(tls: tls)
        root = NSTemporaryDirectory() + "icloudpd-dl-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit {
        icloud.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    var library: SandboxPhotoLibrary { icloud.currentLibrary }

    func run(_ extra: [String], environment: [String: String] = [:]) async throws -> ToolRunner.Result {
        let arguments = ["--username", Self.username, "--password", Self.password, "--cookie-directory", cookieDirectory,
                         "--directory", directory, "--no-progress-bar"] + extra
        return try await ToolRunner.run("icloudpd", arguments,
                                        environment: icloud.endpointEnvironment.merging(["TZ": "UTC"].merging(environment) { $1 }) { $1 })
    }

    func count(_ key: String) -> Int { icloud.requestCounts()[key] ?? 0 }

    /// Every regular file under the download directory, relative, sorted.
    func files() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var out: [String] = []
        while let path = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out.append(path)
            }
        }
        return out.sorted()
    }

    func bytes(_ relative: String) -> Data? { FileManager.default.contents(atPath: directory + "/" + relative) }

    func mtime(_ relative: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: directory + "/" + relative))?[.modificationDate] as? Date
    }

    /// The UTC date folder of a photo (`{:%Y/%m/%d}` under TZ=UTC).
    func folder(_ index: Int) -> String {
        let p = library.photo(index: index)
        let date = Date(timeIntervalSince1970: Double(p.assetDate) / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d/%02d/%02d", c.year!, c.month!, c.day!)
    }

    func records(_ stdout: String) throws -> [JSON] {
        try stdout.split(separator: "\n").map { try JSON.parse(String($0)) }
    }
}
