import Foundation
import Shared

/// The fake iCloud's mutable state: SRP handshakes in flight, idmsa sessions, and the tokens
/// Apple hands out (session, web-auth cookie, trust).
struct ICloudWorld {
    /// `signin/init` answered, `signin/complete` pending; keyed by the opaque `c`.
    struct Handshake {
        let username: String
        let server: SRPServer
        let A: Data
        let sessionID: String
    }

    /// What a session token allows.
    struct SessionToken {
        enum Stage { case needsRepair, needsSecondFactor, verified }
        let username: String
        var stage: Stage
        /// Signed in from a trusted browser (trust token, or 2sv/trust done).
        var trusted: Bool
    }

    /// One idmsa conversation (`X-Apple-ID-Session-Id`).
    struct IdmsaSession {
        let username: String
        var scnt: String
        var sessionToken: String?
    }

    var handshakes: [String: Handshake] = [:]
    var idmsaSessions: [String: IdmsaSession] = [:]
    var sessionTokens: [String: SessionToken] = [:]
    /// `X-APPLE-WEBAUTH-TOKEN` cookie value → username.
    var webTokens: [String: String] = [:]
    /// Trust token → username.
    var trustTokens: [String: String] = [:]
    var pushes = 0
    /// Content GETs per file (only counted while faults are configured).
    var contentAttempts: [String: Int] = [:]
    /// `Range` header of every content GET that was answered, in order (file key, header).
    var rangeHeaders: [(String, String?)] = []
    var textsSent: [Int] = []

    static func token(_ prefix: String) -> String {
        prefix + (UUID().uuidString + UUID().uuidString).replacingOccurrences(of: "-", with: "")
    }
}
