import CSSL
import Foundation

public struct TLSError: Error, CustomStringConvertible {
    public let description: String

    /// `what` failed, with the reasons OpenSSL queued on this thread (the queue is emptied).
    static func openSSL(_ what: String) -> TLSError {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return TLSError(description: reasons.isEmpty ? what : "\(what): \(reasons.joined(separator: "; "))")
    }
}

/// A private key and its certificate, for `HTTPServer` to serve HTTPS with.
public final class TLSIdentity: @unchecked Sendable {
    // @unchecked: the key and certificate are never changed after init, and OpenSSL's reference
    // counting of them is thread-safe (every connection's SSL object holds them).
    let key: OpaquePointer
    let certificate: OpaquePointer
    /// The certificate in PEM, what clients trust as their CA file.
    public let certificatePEM: String

    private init(key: OpaquePointer, certificate: OpaquePointer, pem: String) {
        self.key = key
        self.certificate = certificate
        certificatePEM = pem
    }

    private static func pem(_ certificate: OpaquePointer) throws -> String {
        try pem(label: "CERTIFICATE", what: "i2d_X509") { i2d_X509(certificate, $0) }
    }

    /// DER from an OpenSSL `i2d_*` function (called once for the length, once to write), as PEM.
    private static func pem(label: String, what: String,
                            encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) throws -> String {
        let length = encode(nil)
        guard length > 0 else { throw TLSError.openSSL(what) }
        var der = [UInt8](repeating: 0, count: Int(length))
        der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = encode(&cursor)
        }
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(key)
    }

    /// A fresh P-256 key and a self-signed certificate for it, made in memory (no `openssl`
    /// tool): CN = the first name, subjectAltName = every name, valid from an hour ago (clock
    /// skew) for `validity` seconds. It is its own CA (critical CA:TRUE, keyCertSign, key
    /// identifiers), so clients trust it as their CA file, strict X.509 checks included.
    public static func selfSigned(ipAddresses: [String] = ["127.0.0.1"], dnsNames: [String] = ["localhost"],
                                  validity: TimeInterval = 24 * 3600) throws -> TLSIdentity {
        let names = ipAddresses.map { "IP:\($0)" } + dnsNames.map { "DNS:\($0)" }
        guard let commonName = (ipAddresses + dnsNames).first else { throw TLSError(description: "a certificate needs a name") }
        ERR_clear_error()
        guard let key = cssl_generate_p256() else { throw TLSError.openSSL("P-256 key generation") }
        guard let certificate = X509_new() else {
            EVP_PKEY_free(key)
            throw TLSError.openSSL("X509_new")
        }
        var handedOver = false
        defer {
            if !handedOver {
                X509_free(certificate)
                EVP_PKEY_free(key)
            }
        }
        func check(_ result: Int32, _ what: String) throws {
            guard result > 0 else { throw TLSError.openSSL(what) }
        }
        try check(X509_set_version(certificate, 2), "X509_set_version")  // 2 means v3
        try check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(certificate), UInt64.random(in: 1...UInt64(Int64.max))), "serial")
        guard X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil,
              X509_gmtime_adj(X509_getm_notAfter(certificate), Int(validity)) != nil else { throw TLSError.openSSL("validity") }
        try check(X509_set_pubkey(certificate, key), "X509_set_pubkey")
        let subject = X509_get_subject_name(certificate)
        try check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, commonName, -1, -1, 0), "subject")
        try check(X509_set_issuer_name(certificate, subject), "issuer")
        // The subject key identifier first: the authority key identifier copies it.
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:TRUE"),
            (NID_key_usage, "critical,digitalSignature,keyCertSign"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid:always"),
            (NID_subject_alt_name, names.joined(separator: ",")),
        ]
        for (nid, value) in extensions {
            try check(cssl_add_extension(certificate, nid, value), "extension \(value)")
        }
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw TLSError.openSSL("X509_sign") }
        let pem = try pem(certificate)
        handedOver = true
        return TLSIdentity(key: key, certificate: certificate, pem: pem)
    }

    /// Writes the private key (SEC1 "EC PRIVATE KEY" PEM) to `path`, mode 0600, for another
    /// server that should present this identity (tests run independent servers with it).
    public func writePrivateKeyPEM(to path: String) throws {
        let text = try Self.pem(label: "EC PRIVATE KEY", what: "i2d_PrivateKey") { i2d_PrivateKey(key, $0) }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw TLSError(description: "cannot write \(path)")
        }
    }

    /// Writes `certificatePEM` to `path` (replacing it atomically), for clients' CA file option.
    public func writeCertificatePEM(to path: String) throws {
        try Data(certificatePEM.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
