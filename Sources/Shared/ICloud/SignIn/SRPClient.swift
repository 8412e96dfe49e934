import Foundation

/// The client side of Apple's SRP-6a sign-in (see `SRPGroup` for the formulas).
///
///     var srp = try SRPClient()                    // random 256-bit a
///     // send srp.A (base64) in signin/init, get salt, b, iteration, protocol back
///     let m1 = try srp.respond(salt: s, B: b, iterations: n, protocol: p,
///                              username: appleID, password: pw)
///     // send m1 and srp.M2 in signin/complete
public struct SRPClient: Sendable {
    /// Private ephemeral a (secret).
    private let a: Data
    /// Public ephemeral A = g^a mod N, minimal big-endian bytes (sent base64 in `signin/init`).
    public let A: Data
    /// Session key K = H(S), available after `respond`.
    public private(set) var K: Data?
    /// Client proof M1, available after `respond`.
    public private(set) var M1: Data?
    /// Expected server proof M2 = H(A | M1 | K) (icloudpd sends it to Apple as `m2`).
    public private(set) var M2: Data?

    /// A client with a fresh random 256-bit private ephemeral.
    public init() throws {
        while true {
            let candidate = try Crypto.randomBytes(count: 32)
            if let client = try? SRPClient(a: candidate) {
                self = client
                return
            }
        }
    }

    /// A client with the given private ephemeral `a` (big-endian), e.g. for test vectors.
    public init(a: Data) throws {
        let aNum = BigNumber(a)
        guard !aNum.isZero else { throw SRPError.invalidPrivateKey }
        let A = BigNumber.modExp(BigNumber(word: SRPGroup.g), aNum, BigNumber(SRPGroup.N))
        guard !A.isZero else { throw SRPError.invalidPrivateKey }
        self.a = aNum.bytes
        self.A = A.bytes
    }

    /// Computes K, M1 and M2 from the server's `signin/init` answer; returns M1.
    /// `B` may be given padded or minimal.
    @discardableResult
    public mutating func respond(salt: Data, B: Data, iterations: Int, protocol proto: SRPProtocol,
                                 username: String, password: String) throws -> Data {
        let nNum = BigNumber(SRPGroup.N)
        let bNum = BigNumber.mod(BigNumber(B), nNum)
        guard !bNum.isZero else { throw SRPError.invalidPublicKey }
        let bMin = BigNumber(B).bytes

        let u = BigNumber(SRPGroup.u(A: A, B: bMin))
        guard !u.isZero else { throw SRPError.invalidScrambler }
        let x = BigNumber(try SRPGroup.x(password: password, salt: salt, iterations: iterations, protocol: proto))
        let k = BigNumber(SRPGroup.k)
        let g = BigNumber(word: SRPGroup.g)

        // S = (B - k * g^x) ^ (a + u * x) mod N
        let gx = BigNumber.modExp(g, x, nNum)
        let kgx = BigNumber.modMul(k, gx, nNum)
        let base = BigNumber.modSub(BigNumber(bMin), kgx, nNum)
        let exponent = BigNumber.add(BigNumber(a), BigNumber.mul(u, x))
        let S = BigNumber.modExp(base, exponent, nNum)

        let K = Crypto.sha256(S.bytes)
        let M1 = SRPGroup.m1(username: username, salt: salt, A: A, B: bMin, K: K)
        self.K = K
        self.M1 = M1
        self.M2 = SRPGroup.m2(A: A, M1: M1, K: K)
        return M1
    }

    /// Checks a server proof against the expected M2 (constant time). False before `respond`.
    public func verify(M2 serverProof: Data) -> Bool {
        guard let M2 else { return false }
        return Crypto.constantTimeEqual(M2, serverProof)
    }
}
