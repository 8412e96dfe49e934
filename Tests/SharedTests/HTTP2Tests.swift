import Foundation
import Shared
import Testing

/// The client against an independent HTTP/2 server over TLS (nghttpd, Debian's nghttp2-server,
/// which .ci/run installs): answers come in over HTTP/2, concurrent requests complete with one
/// connection allowed, and a download streams into its file (nghttpd ignores Range: the 200
/// replaces the partial file's content).
@Suite struct HTTP2Tests {
    static let nghttpd = ["/usr/sbin/nghttpd", "/usr/bin/nghttpd"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: nghttpd != nil, "nghttpd (Debian's nghttp2-server) is not installed"))
    func answersComeOverHTTP2AndShareAConnection() async throws {
        let root = NSTemporaryDirectory() + "h2-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/docs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let payload = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try payload.write(to: URL(fileURLWithPath: root + "/docs/blob.bin"))
        let identity = try TLSIdentity.selfSigned()
        try identity.writeCertificatePEM(to: root + "/cert.pem")
        try identity.writePrivateKeyPEM(to: root + "/key.pem")

        let (server, port) = try Self.startNghttpd(root: root)
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }

        let client = HTTPClient(maxConnectionsPerHost: 1, caFile: root + "/cert.pem")
        let url = URL(string: "https://127.0.0.1:\(port)/blob.bin")!
        let responses = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
            for _ in 0..<6 { group.addTask { try await client.send(HTTPRequest(method: "GET", url: url)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(responses.count == 6)
        for response in responses {
            #expect(response.status == 200)
            #expect(response.httpVersion == "2")
            #expect(response.body == payload)
        }

        let part = root + "/blob.part"
        try Data(payload.prefix(1_000_000)).write(to: URL(fileURLWithPath: part))
        let resumed = try await client.download(HTTPRequest(method: "GET", url: url), into: part, resume: true)
        #expect(resumed.status == 200 || resumed.status == 206)
        #expect(resumed.httpVersion == "2")
        #expect(FileManager.default.contents(atPath: part) == payload)

        let plain = HTTPClient(caFile: nil)
        await #expect(throws: HTTPError.self) { try await plain.send(HTTPRequest(method: "GET", url: url, retry: .never)) }
    }

    /// nghttpd on a port that was free a moment ago; waits until it accepts connections.
    static func startNghttpd(root: String) throws -> (Process, Int) {
        for _ in 0..<5 {
            let port = try freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: nghttpd!)
            process.arguments = ["--address=127.0.0.1", "-d", root + "/docs", "\(port)", root + "/key.pem", root + "/cert.pem"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<100 {
                if canConnect(port) { return (process, port) }
                if !process.isRunning { break }
                usleep(20_000)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        throw StressServerError(description: "nghttpd did not start")
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw StressServerError(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
