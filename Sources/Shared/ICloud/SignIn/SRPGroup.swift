import Foundation

/// Apple's SRP-6a arithmetic: RFC 5054 2048-bit group, g = 2, SHA-256, RFC 5054 padding in
/// k and u, username left out of x but present in M1. Shared by `SRPClient` and `SRPServer`.
///
///     k  = H(N | PAD(g))
///     u  = H(PAD(A) | PAD(B))
///     x  = H(salt | H(":" | P))            P = protocol-specific PBKDF2 password key
///     K  = H(S)                            S as minimal big-endian bytes
///     M1 = H(H(N) xor H(PAD(g)) | H(I) | salt | A | B | K)   A, B minimal bytes
///     M2 = H(A | M1 | K)
public enum SRPGroup {
    /// Byte width of N (2048 bits).
    public static let width = 256

    /// RFC 5054 Appendix A, 2048-bit group prime N (big-endian).
    public static let N: Data = Data(hexString:
        "AC6BDB41324A9A9BF166DE5E1389582FAF72B6651987EE07FC3192943DB56050A37329CBB4A099ED8193E0757767A13DD52312AB4B03310DCD7F48A9DA04FD50E8083969EDB767B0CF6095179A163AB3661A05FBD5FAAAE82918A9962F0B93B855F97993EC975EEAA80D740ADBF4FF747359D041D5C33EA71D281E446B14773BCA97B43A23FB801676BD207A436C6481F1D2B9078717461A5B9D32E688F87748544523B524B0D57D5EA77A2775D2ECFA032CFBDBF52FB3786160279004E57AE6AF874E7303CE53299CCC041C7BC308D82A5698F3A8D0C38271AE35F8E9DBFBB694B5C803D89F7AE435DE236D525F54759B65E372FCD68EF20FA7111F9E4AFF73")!

    /// Generator g = 2.
    public static let g: UInt = 2

    static func pad(_ bytes: Data) -> Data {
        bytes.count >= width ? bytes : Data(count: width - bytes.count) + bytes
    }

    static var paddedG: Data { pad(Data([UInt8(g)])) }

    /// k = H(N | PAD(g)).
    package static var k: Data { Crypto.sha256(N, paddedG) }

    /// u = H(PAD(A) | PAD(B)); A and B minimal bytes.
    package static func u(A: Data, B: Data) -> Data { Crypto.sha256(pad(A), pad(B)) }

    /// x = H(salt | H(":" | P)).
    static func x(salt: Data, passwordKey: Data) -> Data {
        Crypto.sha256(salt, Crypto.sha256(Data(":".utf8), passwordKey))
    }

    /// x for a password, deriving P with the protocol's PBKDF2.
    package static func x(password: String, salt: Data, iterations: Int, protocol proto: SRPProtocol) throws -> Data {
        guard iterations >= 1, iterations <= Int(Int32.max) else { throw SRPError.invalidIterations(iterations) }
        let key = try proto.derivePassword(password, salt: salt, iterations: iterations)
        return x(salt: salt, passwordKey: key)
    }

    /// M1 = H(H(N) xor H(PAD(g)) | H(I) | salt | A | B | K).
    package static func m1(username: String, salt: Data, A: Data, B: Data, K: Data) -> Data {
        let hn = Crypto.sha256(N)
        let hg = Crypto.sha256(paddedG)
        let xored = Data(zip(hn, hg).map { $0 ^ $1 })
        return Crypto.sha256(xored, Crypto.sha256(Data(username.utf8)), salt, A, B, K)
    }

    /// M2 = H(A | M1 | K).
    package static func m2(A: Data, M1: Data, K: Data) -> Data { Crypto.sha256(A, M1, K) }

    /// Minimal big-endian spelling of an unsigned integer given in any width.
    package static func minimal(_ bytes: Data) -> Data { BigNumber(bytes).bytes }

    /// The verifier v = g^x mod N for a password (minimal bytes).
    package static func verifierBytes(x: Data) -> Data {
        BigNumber.modExp(BigNumber(word: g), BigNumber(x), BigNumber(N)).bytes
    }
}
