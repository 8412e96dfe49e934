import Foundation
import Shared

/// The server side of Apple's SRP-6a sign-in, for a fake Apple ID server: it issues B and
/// checks the client's M1 and M2 the way `idmsa.apple.com` does.
public struct SRPServer: Sendable {
    public let username: String
    public let salt: Data
    public let iterations: Int
    public let `protocol`: SRPProtocol
    /// Verifier v = g^x mod N, minimal big-endian bytes.
    public let verifier: Data
    /// Private ephemeral b (secret).
    private let b: Data
    /// Public ephemeral B = (k*v + g^b) mod N, minimal big-endian bytes (sent base64 as `b`).
    public let B: Data

    /// Result of a successful proof check.
    public struct Session: Sendable, Equatable {
        /// Session key K.
        public let K: Data
        /// Server proof M2 = H(A | M1 | K).
        public let M2: Data
    }

    /// The verifier for a password: v = g^x mod N (minimal bytes).
    public static func verifier(password: String, salt: Data, iterations: Int,
                                protocol proto: SRPProtocol) throws -> Data {
        SRPGroup.verifierBytes(x: try SRPGroup.x(password: password, salt: salt,
                                                 iterations: iterations, protocol: proto))
    }

    /// A server from a stored verifier; `b` defaults to 256 random bits.
    public init(username: String, verifier: Data, salt: Data, iterations: Int,
                protocol proto: SRPProtocol, b: Data? = nil) throws {
        guard iterations >= 1, iterations <= Int(Int32.max) else { throw SRPError.invalidIterations(iterations) }
        let nNum = BigNumber(SRPGroup.N)
        var bBytes = try b ?? Crypto.randomBytes(count: 32)
        var B: BigNumber
        while true {
            let bNum = BigNumber(bBytes)
            guard !bNum.isZero else {
                if b != nil { throw SRPError.invalidPrivateKey }
                bBytes = try Crypto.randomBytes(count: 32)
                continue
            }
            let kv = BigNumber.modMul(BigNumber(SRPGroup.k), BigNumber(verifier), nNum)
            let gb = BigNumber.modExp(BigNumber(word: SRPGroup.g), bNum, nNum)
            B = BigNumber.modAdd(kv, gb, nNum)
            if !B.isZero { break }
            if b != nil { throw SRPError.invalidPrivateKey }
            bBytes = try Crypto.randomBytes(count: 32)
        }
        self.username = username
        self.salt = salt
        self.iterations = iterations
        self.protocol = proto
        self.verifier = SRPGroup.minimal(verifier)
        self.b = BigNumber(bBytes).bytes
        self.B = B.bytes
    }

    /// A server from the password (the verifier is derived).
    public init(username: String, password: String, salt: Data, iterations: Int,
                protocol proto: SRPProtocol, b: Data? = nil) throws {
        let v = try SRPServer.verifier(password: password, salt: salt, iterations: iterations, protocol: proto)
        try self.init(username: username, verifier: v, salt: salt, iterations: iterations, protocol: proto, b: b)
    }

    /// Checks the client's proof M1 for its public value A; returns K and M2.
    public func verify(A: Data, M1: Data) throws -> Session {
        let nNum = BigNumber(SRPGroup.N)
        let aNum = BigNumber(A)
        guard !BigNumber.mod(aNum, nNum).isZero else { throw SRPError.invalidPublicKey }
        let aMin = aNum.bytes
        let u = BigNumber(SRPGroup.u(A: aMin, B: B))
        guard !u.isZero else { throw SRPError.invalidScrambler }
        // S = (A * v^u) ^ b mod N
        let vu = BigNumber.modExp(BigNumber(verifier), u, nNum)
        let base = BigNumber.modMul(aNum, vu, nNum)
        let S = BigNumber.modExp(base, BigNumber(b), nNum)
        let K = Crypto.sha256(S.bytes)
        let expected = SRPGroup.m1(username: username, salt: salt, A: aMin, B: B, K: K)
        guard Crypto.constantTimeEqual(expected, M1) else { throw SRPError.badClientProof }
        return Session(K: K, M2: SRPGroup.m2(A: aMin, M1: M1, K: K))
    }

    /// Checks both proofs a client sends in `signin/complete` (`m1`, then `m2`); returns K and M2.
    public func verify(A: Data, M1: Data, M2: Data) throws -> Session {
        let session = try verify(A: A, M1: M1)
        guard Crypto.constantTimeEqual(session.M2, M2) else { throw SRPError.badClientServerProof }
        return session
    }
}
