#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Testing
import Shared

/// Raw-socket checks of the HTTP layer: chunked bodies, keep-alive, `Connection: close`,
/// clients that vanish mid-request, and `nil` meaning "drop".
@Suite struct HTTPServerTests {
    static func connect(_ port: UInt16, host: String = "127.0.0.1") -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list?.pointee else { return -1 }
        defer { freeaddrinfo(list) }
        let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        _ = Glibc.connect(fd, info.ai_addr, info.ai_addrlen)
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

    @Test func bindsLoopbackUnlessGivenAHost() throws {
        let server = HTTPServer { request in .text("at \(request.path)") }
        try server.start()
        #expect(server.host == "127.0.0.1")
        server.stop()

        let any = HTTPServer { request in .text("at \(request.path)") }
        try any.start(host: "0.0.0.0", port: 0)
        defer { any.stop() }
        #expect(any.host == "0.0.0.0")
        let fd = Self.connect(any.port)
        Self.write(fd, "GET /wide HTTP/1.1\r\n\r\n")
        #expect(Self.read(fd, responses: 1).contains("at /wide"))
        close(fd)

        #expect(throws: HTTPServerError.self) { try HTTPServer { _ in nil }.start(host: "no-such-host.invalid") }
        // The port is taken by `any` on every IPv4 address.
        #expect(throws: HTTPServerError.self) { try HTTPServer { _ in nil }.start(host: "127.0.0.1", port: any.port) }
    }

    static let hasIPv6Loopback: Bool = {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        } == 0
    }()

    @Test(.enabled(if: hasIPv6Loopback)) func bindsIPv6() throws {
        let server = HTTPServer { _ in .text("six") }
        try server.start(host: "[::1]")
        defer { server.stop() }
        #expect(server.host == "::1")
        let fd = Self.connect(server.port, host: "::1")
        Self.write(fd, "GET / HTTP/1.1\r\n\r\n")
        #expect(Self.read(fd, responses: 1).contains("six"))
        close(fd)
    }
}
