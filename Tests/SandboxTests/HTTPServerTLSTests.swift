#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Shared
import Synchronization
import Testing

/// The server over TLS, checked with Python's `ssl`, `urllib` and `http.client` (an independent
/// client with its own certificate verification) and the written PEM as the CA file.
@Suite struct HTTPServerTLSTests {
    /// A running HTTPS echo server and the CA file that trusts it.
    final class Fixture: Sendable {
        let server: HTTPServer
        let caFile: String
        let counter = Counter()
        var requests: Int { counter.value.withLock { $0 } }

        final class Counter: Sendable { let value = Mutex(0) }

        init() throws {
            let identity = try TLSIdentity.selfSigned()
            caFile = FileManager.default.temporaryDirectory.appendingPathComponent("tls-test-\(UUID().uuidString).pem").path
            try identity.writeCertificatePEM(to: caFile)
            let counter = self.counter
            server = HTTPServer(tls: identity) { request in
                counter.value.withLock { $0 += 1 }
                if request.path == "/big" { return HTTPServerResponse(status: 200, body: Data(repeating: 0x61, count: 3_000_000)) }
                return .text("secure \(request.method) \(request.path) body=\(String(decoding: request.body, as: UTF8.self))")
            }
            try server.start()
        }

        deinit {
            server.stop()
            try? FileManager.default.removeItem(atPath: caFile)
        }

        var url: String { "https://127.0.0.1:\(server.port)" }
    }

    /// Python prologue: `verified` is a strict (Python 3.13 default) context trusting the CA file.
    static let prologue = """
        import http.client, socket, ssl, sys, time, urllib.error, urllib.request
        url, cafile = sys.argv[1], sys.argv[2]
        verified = ssl.create_default_context(cafile=cafile)
        verified.verify_flags |= ssl.VERIFY_X509_STRICT
        def get(path, context=verified):
            with urllib.request.urlopen(url + path, context=context, timeout=10) as response:
                return f"{response.status} {response.read().decode()}"

        """

    static func python(_ fixture: Fixture, _ script: String) async throws -> PythonClient.Result {
        let result = try await PythonClient.run(prologue + script, [fixture.url, fixture.caFile])
        #expect(result.status == 0, "\(result.stderr)")
        return result
    }

    @Test func verifiesWithTheCAFileOnlyAndSurvivesFailedHandshakes() async throws {
        let fixture = try Fixture()
        #expect(fixture.server.scheme == "https")
        let result = try await Self.python(fixture, """
            print(get("/hello?x=1"))
            try:
                get("/unverified", ssl.create_default_context())
                print("unverified: answered")
            except urllib.error.URLError as error:
                print("unverified:", type(error.reason).__name__, error.reason.verify_code)
            print(get("/again"))
            host = url.replace("127.0.0.1", "localhost")
            with urllib.request.urlopen(host + "/by-name", context=verified, timeout=10) as response:
                print(response.status, response.read().decode())
            """)
        // 18: X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT.
        #expect(result.lines == ["200 secure GET /hello body=", "unverified: SSLCertVerificationError 18",
                                 "200 secure GET /again body=", "200 secure GET /by-name body="])
        #expect(fixture.requests == 3)
    }

    @Test func plainHTTPAndBrokenHandshakesDoNotHangTheServer() async throws {
        let fixture = try Fixture()
        let result = try await Self.python(fixture, """
            port = int(url.rsplit(":", 1)[1])
            plain = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            plain.request("GET", "/plain")
            answer = plain.getresponse()
            print("plain:", answer.status, answer.read().decode().strip())
            # A handshake record that is garbage: the server drops the connection.
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                raw.sendall(b"\\x16\\x03\\x01\\x00\\x05hello")
                try:
                    dropped = raw.recv(100)[:1] in (b"", b"\\x15")  # closed, or an alert first
                except ConnectionResetError:
                    dropped = True
                print("garbage:", dropped)
            # A silent client holds its handshake open meanwhile; others are served.
            silent = socket.create_connection(("127.0.0.1", port), timeout=10)
            print(get("/after"))
            silent.close()
            """)
        #expect(result.lines == ["plain: 400 This server speaks HTTPS.", "garbage: True", "200 secure GET /after body="])
        #expect(fixture.requests == 1)
    }

    @Test func keepsConnectionsAliveOverTLS() async throws {
        let fixture = try Fixture()
        let result = try await Self.python(fixture, """
            port = int(url.rsplit(":", 1)[1])
            connection = http.client.HTTPSConnection("127.0.0.1", port, context=verified, timeout=10)
            ports = set()
            for index in range(3):
                connection.request("POST", f"/{index}", body=f"n{index}")
                answer = connection.getresponse()
                print(answer.status, answer.read().decode())
                ports.add(connection.sock.getsockname()[1])
            connection.request("GET", "/big")
            answer = connection.getresponse()
            print("big", len(answer.read()))
            ports.add(connection.sock.getsockname()[1])
            print("connections", len(ports))
            connection.request("GET", "/last", headers={"Connection": "close"})
            answer = connection.getresponse()
            print(answer.status, answer.getheader("Connection"), answer.read().decode(), connection.sock is None)
            """)
        #expect(result.lines == ["200 secure POST /0 body=n0", "200 secure POST /1 body=n1", "200 secure POST /2 body=n2",
                                 "big 3000000", "connections 1", "200 close secure GET /last body= True"])
    }

    @Test func stopEndsIdleTLSConnections() async throws {
        let fixture = try Fixture()
        let client = Task {
            try await Self.python(fixture, """
                port = int(url.rsplit(":", 1)[1])
                connection = http.client.HTTPSConnection("127.0.0.1", port, context=verified, timeout=10)
                connection.request("GET", "/first")
                print(connection.getresponse().read().decode())
                started = time.monotonic()
                try:
                    ended = connection.sock.recv(1) == b""
                except (ssl.SSLError, OSError):
                    ended = True
                print("ended", ended, time.monotonic() - started < 5)
                """)
        }
        while fixture.requests == 0 { try await Task.sleep(nanoseconds: 20_000_000) }
        try await Task.sleep(nanoseconds: 200_000_000)
        let clock = ContinuousClock()
        let took = clock.measure { fixture.server.stop() }
        #expect(took < .seconds(2))
        #expect(try await client.value.lines == ["secure GET /first body=", "ended True True"])
    }
}
