import Foundation
import Shared
import Synchronization

/// A fake Immich server that behaves as Immich does by version (docs/references.md), for tests
/// and demos.
/// One admin user owns one external library at start; tests shape the rest with the helpers.
public final class SandboxImmich: Sendable {
    public struct Config: Sendable {
        /// "major.minor.patch"; gates behaviour (see `ImmichVersion`).
        public var version: String = "2.5.6"
        /// Key of the admin user who owns the default library.
        public var apiKey: String = "sandbox-api-key"
        /// Import paths of the default external library (absolute folders).
        public var importPaths: [String] = []
        /// Added before every /api response.
        public var latencyMs: Int = 0
        /// How long a scan job takes before its assets are inserted.
        public var scanDurationMs: Int = 200
        /// Queued scans wait while this is true, so tests can look at the world mid-scan
        /// without racing a timer.
        public var holdScans: Bool = false
        /// Fraction of /api requests answered 500/502/503.
        public var failRate: Double = 0
        /// Fraction of /api requests whose connection is closed without an answer.
        public var dropRate: Double = 0
        /// Seed of the fault RNG.
        public var seed: UInt64 = 1
        /// After a scan, link a .MOV to the image with the same basename in the same folder, as Immich's metadata job would.
        public var autoLinkLivePhotos: Bool = false
        public init() {}
    }

    let config: Mutex<Config>
    let world = Mutex(ImmichWorld())
    let counts = Mutex<[String: Int]>([:])
    /// Assets returned by searches since the last reset (apart from the request counts).
    let searchResults = Mutex(0)
    /// Assets searches read to find their matches (the rows their indexes let through).
    let searchRowsRead = Mutex(0)
    let random: Mutex<SeededRandom>
    let scans = ScanQueue()
    private let server = ServerSlot()
    private let logger = Mutex<(@Sendable (String) -> Void)?>(nil)

    public let userId: String
    public let libraryId: String

    public init(config: Config = Config()) {
        self.config = Mutex(config)
        self.random = Mutex(SeededRandom(seed: config.seed))
        let now = Date()
        let admin = UserRecord(id: SandboxUUID.make(), name: "Admin", email: "admin@sandbox.local", apiKey: config.apiKey,
                               apiKeyId: SandboxUUID.make(), isAdmin: true, createdAt: now)
        let library = LibraryRecord(id: SandboxUUID.make(), ownerId: admin.id, name: "Library",
                                    importPaths: config.importPaths.map(LibraryCrawler.normalize),
                                    exclusionPatterns: ["**/@eaDir/**", "**/._*", "**/#recycle/**", "**/#snapshot/**"],
                                    createdAt: now, updatedAt: now, refreshedAt: nil)
        userId = admin.id
        libraryId = library.id
        world.withLock { world in
            world.users[admin.id] = admin
            world.userOrder.append(admin.id)
            world.libraries[library.id] = library
            world.libraryOrder.append(library.id)
        }
    }

    // MARK: lifecycle

    /// Over HTTPS when given a TLS identity; `baseURL` then starts with `https://`.
    public func start(port: UInt16 = 0, tls: TLSIdentity? = nil) throws {
        try server.start(port: port, tls: tls) { [weak self] request in self?.handle(request) }
    }

    public func stop() { server.stop() }

    public var port: UInt16 { server.port }
    public var baseURL: String { server.baseURL }
    public var apiKey: String { world.withLock { $0.users[userId]?.apiKey ?? "" } }

    /// Receives one line per request (method, path, status); the executable's `--verbose`.
    public func setRequestLogger(_ log: (@Sendable (String) -> Void)?) {
        logger.withLock { $0 = log }
    }

    func log(_ line: String) {
        logger.withLock { $0 }?(line)
    }

    // MARK: configuration and observation

    public func setConfig(_ update: (inout Config) -> Void) {
        config.withLock { config in
            let oldSeed = config.seed
            update(&config)
            if config.seed != oldSeed { random.withLock { $0 = SeededRandom(seed: config.seed) } }
        }
    }

    var currentConfig: Config { config.withLock { $0 } }

    var version: ImmichVersion {
        ImmichVersion(parsing: currentConfig.version) ?? ImmichVersion(2, 5, 6)
    }

    public func requestCounts() -> [String: Int] { counts.withLock { $0 } }
    public func resetCounts() {
        counts.withLock { $0 = [:] }
        searchResults.withLock { $0 = 0 }
        searchRowsRead.withLock { $0 = 0 }
    }
    /// Assets returned by `POST /search/metadata` since the last reset.
    public func searchResultCount() -> Int { searchResults.withLock { $0 } }
    /// Assets `POST /search/metadata` read (index candidates) since the last reset: a search
    /// by exact path or recent creation reads the rows it can match, as a real Immich does.
    public func searchRowsReadCount() -> Int { searchRowsRead.withLock { $0 } }
    public var scanCount: Int { world.withLock { $0.scans.count } }
    /// When each library scan was requested and when it finished (nil while it runs).
    public var scanTimes: [(requested: Date, finished: Date?)] { world.withLock { $0.scans.map { ($0.requestedAt, $0.finishedAt) } } }

    /// True once no scan job is queued or running; false if that did not happen within `timeout` seconds.
    public func waitForIdle(timeout: Double) -> Bool {
        scans.waitForIdle(timeout: timeout)
    }

    /// Like `waitForIdle`, without blocking a thread of Swift's cooperative pool (tests run many
    /// at once on two cores, and a blocked pool thread stalls every other test).
    public func idle(timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !scans.isIdle {
            if Date() >= deadline { return false }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return true
    }

    /// Scans the default library now (as `POST /libraries/{id}/scan` would) and waits for it.
    public func scanNow(timeout: Double = 30) async throws {
        try queueScan(libraryId: libraryId)
        _ = await idle(timeout: timeout)
    }

    func withWorld<T: Sendable>(_ body: (inout ImmichWorld) throws -> T) throws -> T {
        try world.withLock { world throws -> T in try body(&world) }
    }

    // MARK: shaping the world

    public func addUser(name: String, apiKey: String, isAdmin: Bool) -> String {
        let user = UserRecord(id: SandboxUUID.make(), name: name,
                              email: name.lowercased().filter { $0.isLetter || $0.isNumber } + "@sandbox.local",
                              apiKey: apiKey, apiKeyId: SandboxUUID.make(), isAdmin: isAdmin, createdAt: Date())
        world.withLock { world in
            world.users[user.id] = user
            world.userOrder.append(user.id)
        }
        return user.id
    }

    public func addLibrary(ownerId: String, importPaths: [String]) -> String {
        let now = Date()
        let library = LibraryRecord(id: SandboxUUID.make(), ownerId: ownerId, name: "Library \(importPaths.first ?? "")",
                                    importPaths: importPaths.map(LibraryCrawler.normalize), exclusionPatterns: [],
                                    createdAt: now, updatedAt: now, refreshedAt: nil)
        world.withLock { world in
            world.libraries[library.id] = library
            world.libraryOrder.append(library.id)
        }
        return library.id
    }

    /// An album owned by `ownerId` (the default admin when nil), shared with `sharedWith` as editors.
    public func addAlbum(name: String, ownerId: String?, sharedWith: [String]) -> String {
        let now = Date()
        let album = AlbumRecord(id: SandboxUUID.make(), name: name, ownerId: ownerId ?? userId, sharedWith: sharedWith,
                                assetIds: [], createdAt: now, updatedAt: now)
        world.withLock { world in
            world.albums[album.id] = album
            world.albumOrder.append(album.id)
        }
        return album.id
    }
}
