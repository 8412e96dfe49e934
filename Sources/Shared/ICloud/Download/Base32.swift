/// RFC 4648 base32 (upper case, `=` padding): icloudpd names `.part` files with it.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 5, bytes.count)])
            var buffer = [UInt8](repeating: 0, count: 5)
            for (j, b) in chunk.enumerated() { buffer[j] = b }
            let bits = buffer.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
            let chars = [0, 2, 4, 5, 7, 8][chunk.count]
            for k in 0..<8 {
                if k < chars { out.append(alphabet[Int((bits >> UInt64(35 - 5 * k)) & 31)]) } else { out.append(UInt8(ascii: "=")) }
            }
            i += 5
        }
        return String(decoding: out, as: UTF8.self)
    }
}
