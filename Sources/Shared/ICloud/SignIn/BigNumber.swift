import CCrypto
import Foundation

/// A thin owner of an OpenSSL `BIGNUM`, for the SRP arithmetic.
///
/// Deliberately not `Sendable`: create, use and drop it inside one function; pass only
/// `Data` across APIs. Every value is freed with `BN_clear_free`, so secrets are wiped.
/// Each operation makes its own function-local `BN_CTX`.
package final class BigNumber {
    fileprivate let bn: OpaquePointer

    private init(owning bn: OpaquePointer?) {
        guard let bn else { fatalError("BIGNUM allocation failed") }
        self.bn = bn
    }

    /// The unsigned big-endian integer in `bytes` (empty = 0).
    package convenience init(_ bytes: Data) {
        let ptr = Crypto.withBytes(bytes) { raw, count in
            BN_bin2bn(raw.assumingMemoryBound(to: UInt8.self), Int32(count), nil)
        }
        self.init(owning: ptr)
    }

    package convenience init(word: UInt) {
        self.init(owning: BN_new())
        precondition(BN_set_word(bn, word) == 1, "BN_set_word failed")
    }

    deinit { BN_clear_free(bn) }

    package var isZero: Bool { BN_is_zero(bn) == 1 }
    var byteCount: Int { (Int(BN_num_bits(bn)) + 7) / 8 }

    /// Minimal big-endian bytes (zero gives an empty Data).
    package var bytes: Data {
        var out = [UInt8](repeating: 0, count: byteCount)
        let written = BN_bn2bin(bn, &out)
        return Data(out.prefix(Int(written)))
    }

    /// Big-endian bytes left-padded with zeros to `width`; nil if the number does not fit.
    func bytes(paddedTo width: Int) -> Data? {
        var out = [UInt8](repeating: 0, count: width)
        guard BN_bn2binpad(bn, &out, Int32(width)) == Int32(width) else { return nil }
        return Data(out)
    }

    static func == (lhs: BigNumber, rhs: BigNumber) -> Bool { BN_cmp(lhs.bn, rhs.bn) == 0 }

    private static func withContext<R>(_ body: (OpaquePointer) -> R) -> R {
        guard let ctx = BN_CTX_new() else { fatalError("BN_CTX_new failed") }
        defer { BN_CTX_free(ctx) }
        return body(ctx)
    }

    private static func op(_ name: String, _ body: (OpaquePointer, OpaquePointer) -> Int32) -> BigNumber {
        let result = BigNumber(owning: BN_new())
        let ok = withContext { ctx in body(result.bn, ctx) }
        precondition(ok == 1, "\(name) failed")
        return result
    }

    /// (base ^ exponent) mod modulus.
    package static func modExp(_ base: BigNumber, _ exponent: BigNumber, _ modulus: BigNumber) -> BigNumber {
        op("BN_mod_exp") { r, ctx in BN_mod_exp(r, base.bn, exponent.bn, modulus.bn, ctx) }
    }

    /// (a * b) mod modulus.
    package static func modMul(_ a: BigNumber, _ b: BigNumber, _ modulus: BigNumber) -> BigNumber {
        op("BN_mod_mul") { r, ctx in BN_mod_mul(r, a.bn, b.bn, modulus.bn, ctx) }
    }

    /// (a + b) mod modulus, result in [0, modulus).
    package static func modAdd(_ a: BigNumber, _ b: BigNumber, _ modulus: BigNumber) -> BigNumber {
        op("BN_mod_add") { r, ctx in BN_mod_add(r, a.bn, b.bn, modulus.bn, ctx) }
    }

    /// (a - b) mod modulus, result in [0, modulus).
    static func modSub(_ a: BigNumber, _ b: BigNumber, _ modulus: BigNumber) -> BigNumber {
        op("BN_mod_sub") { r, ctx in BN_mod_sub(r, a.bn, b.bn, modulus.bn, ctx) }
    }

    /// a mod modulus, result in [0, modulus).
    package static func mod(_ a: BigNumber, _ modulus: BigNumber) -> BigNumber {
        op("BN_nnmod") { r, ctx in BN_nnmod(r, a.bn, modulus.bn, ctx) }
    }

    /// a * b (no reduction).
    static func mul(_ a: BigNumber, _ b: BigNumber) -> BigNumber {
        op("BN_mul") { r, ctx in BN_mul(r, a.bn, b.bn, ctx) }
    }

    /// a + b (no reduction).
    static func add(_ a: BigNumber, _ b: BigNumber) -> BigNumber {
        op("BN_add") { r, _ in BN_add(r, a.bn, b.bn) }
    }
}
