import Foundation

/// The password-derivation variants Apple offers in `signin/init` (`protocol` field).
public enum SRPProtocol: String, Sendable, Codable, CaseIterable {
    /// PBKDF2 over the raw 32-byte SHA-256 digest of the password.
    case s2k
    /// PBKDF2 over the 64 lower-case hex characters of the SHA-256 digest of the password.
    case s2kFo = "s2k_fo"

    /// The value sent as `protocols` in `signin/init`, in icloudpd's order.
    public static let offered: [String] = ["s2k", "s2k_fo"]

    /// The PBKDF2 input for this protocol: SHA-256(utf8(password)), raw or as lower-case hex ASCII.
    public func passwordHash(_ password: String) -> Data {
        let digest = Crypto.sha256(Data(password.utf8))
        switch self {
        case .s2k: return digest
        case .s2kFo: return Data(digest.hexString.utf8)
        }
    }

    /// The password key P = PBKDF2-HMAC-SHA256(passwordHash, salt, iterations, 32).
    public func derivePassword(_ password: String, salt: Data, iterations: Int) throws -> Data {
        try Crypto.pbkdf2SHA256(password: passwordHash(password), salt: salt,
                                iterations: iterations, length: Crypto.sha256Length)
    }
}

/// Failures of the SRP exchange (client or server side).
public enum SRPError: Error, Equatable, Sendable {
    /// The private ephemeral is empty, zero or gives a degenerate public value.
    case invalidPrivateKey
    /// The peer's public value is zero modulo N (or empty).
    case invalidPublicKey
    /// The scrambling parameter u came out zero.
    case invalidScrambler
    /// Iteration count outside 1...Int32.max.
    case invalidIterations(Int)
    /// `verify(M2:)` or a proof accessor was used before `respond`.
    case notResponded
    /// The client's proof M1 does not match (wrong password, typically).
    case badClientProof
    /// The client's M2 (H(A|M1|K)) does not match.
    case badClientServerProof
}
