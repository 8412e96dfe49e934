import Foundation
import Shared
import Synchronization

/// A fake of Apple's iCloud sign-in (idmsa `appleauth/auth`, `setup/ws/1`) on 127.0.0.1, for
/// tests and demos. It checks SRP-6a proofs as Apple does (s2k and s2k_fo), answers 409 for a
/// second factor, 412 for accounts without one, and issues session, web and trust tokens.
/// One server plays every host: auth root `/`, auth `/appleauth/auth`, setup `/setup/ws/1`.
public final class SandboxICloud: Sendable {
    public struct Account: Sendable {
        public var username: String
        public var password: String
        public var `protocol`: SRPProtocol
        /// PBKDF2 rounds (Apple uses ~20000; small keeps tests fast).
        public var iterations: Int
        public var twoFactor: Bool
        public var locked: Bool
        public var dsid: String

        public init(username: String, password: String, protocol proto: SRPProtocol = .s2k, iterations: Int = 1000,
                    twoFactor: Bool = true, locked: Bool = false, dsid: String? = nil) {
            self.username = username.lowercased()
            self.password = password
            self.protocol = proto
            self.iterations = iterations
            self.twoFactor = twoFactor
            self.locked = locked
            self.dsid = dsid ?? String(abs(username.lowercased().hashValue) % 9_000_000_000 + 1_000_000_000)
        }
    }

    public struct TrustedPhone: Sendable {
        public var id: Int
        public var obfuscatedNumber: String
        public init(id: Int, obfuscatedNumber: String) {
            self.id = id
            self.obfuscatedNumber = obfuscatedNumber
        }
    }

    public struct Config: Sendable {
        public var accounts: [Account] = [
            Account(username: "demo@sandbox.local", password: "demo-password", protocol: .s2k, twoFactor: true),
        ]
        public var trustedPhones: [TrustedPhone] = [
            TrustedPhone(id: 1, obfuscatedNumber: "(•••) •••-••12"),
            TrustedPhone(id: 2, obfuscatedNumber: "+44 ••••• ••••34"),
        ]
        /// The code every push or SMS "delivers".
        public var validCode: String = "123456"
        /// Answer every request with 503, as Apple does when it throttles.
        public var throttle: Bool = false
        /// Added before every answer.
        public var latencyMs: Int = 0
        /// The iCloud Photos library (`PrimarySync`) and the shared libraries.
        public var library = SandboxPhotoLibrary()
        public var sharedLibraries = [SandboxPhotoLibrary(zoneName: "SharedSync-5D2C7A10-3B4E-4F61-9A8B-0C1D2E3F4A5B",
                                                          count: 12, recordPrefix: "B", albums: [])]
        public var indexingFinished = true
        public var contentFaults = SandboxContentFaults()
        /// Keep the `Range` header of every content GET (tests; off for benchmarks).
        public var recordRanges = true
        /// Records per `changes/zone` page (Apple: at most 200).
        public var changesPageSize = 200
        public init() {}
    }

    let config: Mutex<Config>
    let world = Mutex(ICloudWorld())
    let counts = Mutex<[String: Int]>([:])
    private let server = ServerSlot()

    public init(config: Config = Config()) {
        self.config = Mutex(config)
    }

    // MARK: lifecycle

    /// Over HTTPS when given a TLS identity; every URL it hands out (service endpoints, content downloads) then starts with `https://`.
    public func start(port: UInt16 = 0, tls: TLSIdentity? = nil) throws {
        try server.start(port: port, tls: tls) { [weak self] request in self?.handle(request) }
    }

    public func stop() { server.stop() }

    public var port: UInt16 { server.port }
    public var baseURL: String { server.baseURL }
    public var authRootURL: String { baseURL }
    public var authURL: String { baseURL + "/appleauth/auth" }
    public var setupURL: String { baseURL + "/setup/ws/1" }
    public var homeURL: String { baseURL }

    /// The environment that points icloudpd at this fake.
    public var endpointEnvironment: [String: String] {
        let names = AuthEndpoints.overrideVariables
        return [names.authRoot: authRootURL, names.auth: authURL, names.setup: setupURL, names.home: homeURL]
    }

    // MARK: configuration and observation

    public func setConfig(_ update: (inout Config) -> Void) { config.withLock { update(&$0) } }
    var currentConfig: Config { config.withLock { $0 } }
    public var currentLibrary: SandboxPhotoLibrary { config.withLock { $0.library } }

    /// Requests per `METHOD /path` (query left out), plus `total`.
    public func requestCounts() -> [String: Int] { counts.withLock { $0 } }
    public func resetCounts() { counts.withLock { $0 = [:] } }

    /// Ends every session (as Apple does after a while); trust tokens stay valid.
    public func expireSessions() {
        world.withLock { world in
            world.sessionTokens.removeAll()
            world.webTokens.removeAll()
        }
    }

    /// Forgets every trusted browser, so the next sign-in needs a code again.
    public func revokeTrust() { world.withLock { $0.trustTokens.removeAll() } }

    /// Codes pushed to trusted devices and texts sent, for assertions.
    public var pushes: Int { world.withLock { $0.pushes } }
    public var textsSent: [Int] { world.withLock { $0.textsSent } }

    /// Content GETs answered, with their `Range` header.
    public var rangeHeaders: [(file: String, range: String?)] { world.withLock { $0.rangeHeaders.map { ($0.0, $0.1) } } }
}
