import CCrypto
import Foundation

/// Errors from the libcrypto wrappers.
public enum CryptoError: Error, Equatable, Sendable {
    case invalidParameter(String)
    case libcrypto(String)
}

/// One-shot hashing, MAC, key derivation and randomness over the system libcrypto.
/// Only non-deprecated one-shot APIs are used; no OpenSSL object outlives a call.
public enum Crypto {
    public static let sha256Length = 32

    /// SHA-256 of `data` (EVP_Digest).
    public static func sha256(_ data: Data) -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outLen: UInt32 = 0
        let ok = withBytes(data) { ptr, count in
            EVP_Digest(ptr, count, &out, &outLen, EVP_sha256(), nil)
        }
        precondition(ok == 1 && outLen == UInt32(sha256Length), "EVP_Digest(SHA-256) failed")
        return Data(out.prefix(Int(outLen)))
    }

    /// SHA-256 of the concatenation of `parts`.
    public static func sha256(_ parts: Data...) -> Data {
        var all = Data()
        for part in parts { all.append(part) }
        return sha256(all)
    }

    /// HMAC-SHA256 (one-shot HMAC()).
    public static func hmacSHA256(key: Data, data: Data) -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outLen: UInt32 = 0
        let result = withBytes(key) { keyPtr, keyCount in
            withBytes(data) { dataPtr, dataCount in
                HMAC(EVP_sha256(), keyPtr, Int32(keyCount),
                     dataPtr.assumingMemoryBound(to: UInt8.self), dataCount, &out, &outLen)
            }
        }
        precondition(result != nil && outLen == UInt32(sha256Length), "HMAC(SHA-256) failed")
        return Data(out.prefix(Int(outLen)))
    }

    /// PBKDF2-HMAC-SHA256 (PKCS5_PBKDF2_HMAC).
    public static func pbkdf2SHA256(password: Data, salt: Data, iterations: Int, length: Int) throws -> Data {
        guard iterations >= 1, iterations <= Int(Int32.max) else {
            throw CryptoError.invalidParameter("PBKDF2 iterations must be between 1 and \(Int32.max), got \(iterations)")
        }
        guard length >= 1, length <= 1 << 20 else {
            throw CryptoError.invalidParameter("PBKDF2 length must be between 1 and 1 MiB, got \(length)")
        }
        guard password.count <= Int(Int32.max), salt.count <= Int(Int32.max) else {
            throw CryptoError.invalidParameter("PBKDF2 input too large")
        }
        var out = [UInt8](repeating: 0, count: length)
        let ok = withBytes(password) { pwPtr, pwCount in
            withBytes(salt) { saltPtr, saltCount in
                PKCS5_PBKDF2_HMAC(pwPtr.assumingMemoryBound(to: CChar.self), Int32(pwCount),
                                  saltPtr.assumingMemoryBound(to: UInt8.self), Int32(saltCount),
                                  Int32(iterations), EVP_sha256(), Int32(length), &out)
            }
        }
        guard ok == 1 else { throw CryptoError.libcrypto("PKCS5_PBKDF2_HMAC failed") }
        return Data(out)
    }

    /// `count` cryptographically secure random bytes (RAND_bytes).
    public static func randomBytes(count: Int) throws -> Data {
        guard count >= 0, count <= Int(Int32.max) else {
            throw CryptoError.invalidParameter("random byte count out of range: \(count)")
        }
        if count == 0 { return Data() }
        var out = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&out, Int32(count)) == 1 else {
            throw CryptoError.libcrypto("RAND_bytes failed")
        }
        return Data(out)
    }

    /// Compares two byte strings in time independent of where they differ.
    public static func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(lhs, rhs) { diff |= x ^ y }
        return diff == 0
    }

    /// Calls `body` with a never-nil pointer to the bytes of `data` (an empty Data gets a
    /// valid one-byte buffer with count 0), for the duration of the call only.
    static func withBytes<R>(_ data: Data, _ body: (UnsafeRawPointer, Int) -> R) -> R {
        if data.isEmpty {
            var zero: UInt8 = 0
            return withUnsafePointer(to: &zero) { body(UnsafeRawPointer($0), 0) }
        }
        return data.withUnsafeBytes { raw in body(raw.baseAddress!, raw.count) }
    }
}

extension Data {
    /// Lower-case hexadecimal spelling of the bytes.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses a hexadecimal string (upper or lower case, even length); nil if malformed.
    public init?(hexString: String) {
        let chars = Array(hexString.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = value(chars[i]), let lo = value(chars[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        self.init(bytes)
    }
}
