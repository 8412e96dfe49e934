#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import Shared

/// Raw-socket checks of the HTTP layer: chunked bodies, keep-alive, `Connection: close`,
/// clients that vanish mid-request, and `nil` meaning "drop".
@Suite struct HTTPServerTests {
    static func connect(_ port: UInt16) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    static func write(_ fd: Int32, _ text: String) {
        _ = text.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until `count` responses are complete (by Content-Length) or the peer closes.
    static func read(_ fd: Int32, responses count: Int) -> String {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let text = String(decoding: data, as: UTF8.self)
            if complete(text) >= count { return text }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return text }
            data.append(contentsOf: buffer[0..<n])
        }
    }

    static func complete(_ text: String) -> Int {
        var rest = Substring(text)
        var done = 0
        while let head = rest.range(of: "\r\n\r\n") {
            let headers = rest[..<head.lowerBound].lowercased()
            guard let line = headers.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                  let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return done }
            let bodyStart = head.upperBound
            guard rest.distance(from: bodyStart, to: rest.endIndex) >= length else { return done }
            rest = rest[rest.index(bodyStart, offsetBy: length)...]
            done += 1
        }
        return done
    }

    @Test func keepAliveChunkedAndDrops() throws {
        let server = HTTPServer { request in
            if request.path == "/drop" { return nil }
            let echo = "\(request.method) \(request.path) q=\(request.query["q"] ?? "-") h=\(request.headers["X-TEST"] ?? "-") body=\(String(decoding: request.body, as: UTF8.self))"
            return .text(echo)
        }
        try server.start()
        defer { server.stop() }
        let port = server.port
        #expect(port != 0)

        // Two requests on one connection; the second has a chunked body and asks to close.
        let fd = Self.connect(port)
        Self.write(fd, "GET /a?q=hello%20world&x=1 HTTP/1.1\r\nHost: x\r\nx-test: yes\r\n\r\n")
        Self.write(fd, "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n")
        let replies = Self.read(fd, responses: 3)
        close(fd)
        #expect(replies.contains("GET /a q=hello world h=yes body="))
        #expect(replies.contains("POST /b q=- h=- body=abcde"))
        #expect(replies.contains("Connection: close"))
        #expect(Self.complete(replies) == 2)

        // A client that disconnects mid-body does not hurt the server.
        let partial = Self.connect(port)
        Self.write(partial, "POST /c HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly a bit")
        close(partial)

        // A dropped request closes the connection without an answer.
        let dropped = Self.connect(port)
        Self.write(dropped, "GET /drop HTTP/1.1\r\n\r\n")
        #expect(Self.read(dropped, responses: 1).isEmpty)
        close(dropped)

        let again = Self.connect(port)
        Self.write(again, "GET /ok HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi")
        #expect(Self.read(again, responses: 1).contains("body=hi"))
        close(again)
    }

    @Test func stopClosesOpenConnections() throws {
        let server = HTTPServer { _ in .text("ok") }
        try server.start()
        let fd = Self.connect(server.port)
        Self.write(fd, "GET / HTTP/1.1\r\n\r\n")
        #expect(Self.read(fd, responses: 1).contains("ok"))
        server.stop()
        var byte: UInt8 = 0
        #expect(recv(fd, &byte, 1, 0) <= 0)
        close(fd)
    }
}
