import Foundation
import Shared
import Testing

@Suite struct TLSIdentityTests {
    /// Python's own decoder (the same OpenSSL checks as its clients) reads what we wrote.
    @Test func selfSignedCertificateHasTheNamesAndDates() async throws {
        let identity = try TLSIdentity.selfSigned()
        #expect(identity.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(identity.certificatePEM.hasSuffix("\n-----END CERTIFICATE-----\n"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tls-identity-\(UUID().uuidString).pem").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try identity.writeCertificatePEM(to: path)

        let script = """
            import ssl, sys, time
            cert = ssl._ssl._test_decode_cert(sys.argv[1])
            print("subject", dict(pair[0] for pair in cert["subject"])["commonName"])
            print("issuer", dict(pair[0] for pair in cert["issuer"])["commonName"])
            print("san", ",".join(kind + ":" + value for kind, value in cert["subjectAltName"]))
            now = time.time()
            print("starts", round((ssl.cert_time_to_seconds(cert["notBefore"]) - now) / 60))
            print("ends", round((ssl.cert_time_to_seconds(cert["notAfter"]) - now) / 60))
            context = ssl.create_default_context(cafile=sys.argv[1])
            print("ca", len(context.get_ca_certs()))  # lists CA:TRUE certificates only
            """
        let result = try await PythonClient.run(script, [path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["subject 127.0.0.1", "issuer 127.0.0.1", "san IP Address:127.0.0.1,DNS:localhost",
                                 "starts -60", "ends 1440", "ca 1"])
    }

    @Test func eachIdentityIsFresh() throws {
        let first = try TLSIdentity.selfSigned()
        let second = try TLSIdentity.selfSigned(ipAddresses: [], dnsNames: ["example.test"])
        #expect(first.certificatePEM != second.certificatePEM)
        #expect(throws: TLSError.self) { try TLSIdentity.selfSigned(ipAddresses: [], dnsNames: []) }
    }
}
