#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Synchronization

public enum HTTPServerError: Error, CustomStringConvertible {
    case socket(String, Int32)
    /// The host to bind does not resolve.
    case address(String, String)
    case alreadyStarted

    public var description: String {
        switch self {
        case let .socket(call, code): return "\(call) failed: \(String(cString: strerror(code)))"
        case let .address(host, reason): return "cannot listen on '\(host)': \(reason)"
        case .alreadyStarted: return "server already started"
        }
    }
}

/// A small threaded HTTP/1.1 server, bound to 127.0.0.1 unless told otherwise, speaking HTTPS
/// when given a TLS identity. One thread accepts; each connection gets its own thread (which
/// also runs its TLS handshake) and is kept alive until the client closes, asks for
/// `Connection: close`, or `stop()` is called.
public final class HTTPServer: Sendable {
    private struct State {
        var listener: Int32 = -1
        var host = ""
        var port: UInt16 = 0
        var stopped = false
        var connections: Set<Int32> = []
    }

    private let handler: HTTPServerHandler
    private let identity: TLSIdentity?
    private let state = Mutex(State())
    private let acceptLoopDone = DispatchSemaphore(value: 0)

    /// With `tls`, every connection must complete a TLS handshake with that identity first.
    public init(tls identity: TLSIdentity? = nil, handler: @escaping HTTPServerHandler) {
        self.identity = identity
        self.handler = handler
    }

    /// `https` with a TLS identity, else `http`.
    public var scheme: String { identity == nil ? "http" : "https" }

    /// The bound port (useful after starting on port 0); 0 before `start`.
    public var port: UInt16 { state.withLock { $0.port } }
    /// The bound address, numeric (`127.0.0.1`, `::1`); empty before `start`.
    public var host: String { state.withLock { $0.host } }

    /// Binds `host` (a numeric IPv4 or IPv6 address or a name; 127.0.0.1 unless asked) at
    /// `port` (0 = any free port) and starts accepting.
    public func start(host: String = "127.0.0.1", port: UInt16 = 0) throws {
        // Writes to a closed peer must fail with EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let alreadyStarted = state.withLock { $0.listener >= 0 }
        if alreadyStarted { throw HTTPServerError.alreadyStarted }

        let tls = try identity.map(TLSServerContext.init)
        let (fd, bound) = try Self.listen(host: host, port: port)
        state.withLock {
            $0.listener = fd
            $0.host = bound.host
            $0.port = bound.port
            $0.stopped = false
        }
        let thread = Thread { [self] in acceptLoop(listener: fd, tls: tls) }
        thread.name = "http-accept-\(bound.port)"
        thread.start()
    }

    /// A listening socket on the first address of `host` that binds, and the address it got.
    private static func listen(host: String, port: UInt16) throws -> (Int32, (host: String, port: UInt16)) {
        // "[::1]" as written in URLs and HOST:PORT options.
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let looked = getaddrinfo(name, String(port), &hints, &list)
        guard looked == 0, let list else {
            throw HTTPServerError.address(host, String(cString: gai_strerror(looked)))
        }
        defer { freeaddrinfo(list) }
        var failure = HTTPServerError.address(host, "no address")
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let info = entry?.pointee {
            entry = info.ai_next
            // Close-on-exec, here and on accepted sockets: children (icloudpd's plugins) must not
            // inherit the port or a client's connection.
            let fd = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
            guard fd >= 0 else { failure = .socket("socket", errno); continue }
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            guard bind(fd, info.ai_addr, info.ai_addrlen) == 0 else {
                failure = .socket("bind \(host):\(port)", errno)
                close(fd)
                continue
            }
            guard Glibc.listen(fd, 128) == 0 else {
                failure = .socket("listen", errno)
                close(fd)
                continue
            }
            return (fd, boundAddress(fd))
        }
        throw failure
    }

    /// The numeric host and port a socket is bound to.
    private static func boundAddress(_ fd: Int32) -> (host: String, port: UInt16) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { address -> Bool in
                getsockname(fd, address, &length) == 0
                    && getnameinfo(address, length, &host, socklen_t(host.count), &service, socklen_t(service.count),
                                   NI_NUMERICHOST | NI_NUMERICSERV) == 0
            }
        }
        guard named else { return ("", 0) }
        func text(_ chars: [CChar]) -> String {
            String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return (text(host), UInt16(text(service)) ?? 0)
    }

    /// Closes the listener and every open connection; returns once the accept loop has ended.
    public func stop() {
        let listener: Int32 = state.withLock { state in
            guard !state.stopped, state.listener >= 0 else { return -1 }
            state.stopped = true
            // shutdown (not close) wakes the blocked threads without freeing the fd numbers
            // under them; each thread closes its own fd.
            for connection in state.connections { shutdown(connection, Int32(SHUT_RDWR)) }
            shutdown(state.listener, Int32(SHUT_RDWR))
            return state.listener
        }
        guard listener >= 0 else { return }
        _ = acceptLoopDone.wait(timeout: .now() + 5)
    }

    private func acceptLoop(listener: Int32, tls: TLSServerContext?) {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if state.withLock({ $0.stopped }) { break }
                if errno == EMFILE || errno == ENFILE { usleep(10_000); continue }
                break
            }
            let admitted = state.withLock { state -> Bool in
                if state.stopped { return false }
                state.connections.insert(client)
                return true
            }
            guard admitted else { close(client); break }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)  // accept4 is not in Swift's Glibc module
            var yes: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in serve(client, tls: tls) }
            thread.name = "http-connection"
            thread.start()
        }
        state.withLock { state in
            close(listener)
            state.listener = -1
        }
        acceptLoopDone.signal()
    }

    private func serve(_ fd: Int32, tls: TLSServerContext?) {
        defer {
            state.withLock { state in
                state.connections.remove(fd)
                close(fd)
            }
        }
        let connection: any ServerConnection
        if let tls {
            guard let secure = tls.accept(fd) else { return }
            connection = secure
        } else {
            connection = PlainConnection(fd: fd)
        }
        let orderly = converse(over: connection)
        connection.finish(orderly: orderly && !state.withLock { $0.stopped })
    }

    /// Answers requests until the conversation ends; false when it ended in a drop (injected,
    /// a failed write, or `stop()`).
    private func converse(over connection: any ServerConnection) -> Bool {
        let reader = HTTPRequestReader(reader: SocketReader(connection: connection))
        while !state.withLock({ $0.stopped }) {
            switch reader.next() {
            case .closed:
                return true
            case .malformed(let reason):
                return send(HTTPServerResponse.text(status: 400, "Bad Request: \(reason)\n"), on: connection, keepAlive: false)
            case let .request(request, keepAlive):
                guard let response = handler(request) else { return false } // injected drop
                guard send(response, on: connection, keepAlive: keepAlive) else { return false }
                if !keepAlive { return true }
            }
        }
        return false
    }

    /// RFC 7231 date, as every real server sends (clients use it as the server's clock).
    static func httpDate(_ date: Date = Date()) -> String {
        var time = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d GMT", days[Int(parts.tm_wday)], parts.tm_mday,
                      months[Int(parts.tm_mon)], parts.tm_year + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// Writes the whole response; false when the peer is gone or the response is cut short.
    private func send(_ response: HTTPServerResponse, on connection: any ServerConnection, keepAlive: Bool) -> Bool {
        var head = "HTTP/1.1 \(response.status) \(HTTPServerResponse.reasonPhrase(response.status))\r\n"
        var headers = response.headers
        headers.set("Content-Length", String(response.body.count))
        headers.set("Connection", keepAlive ? "keep-alive" : "close")
        if headers["Date"] == nil { headers.set("Date", Self.httpDate()) }
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        head += "\r\n"
        var bytes = Data(head.utf8)
        if let cut = response.truncateAfter {
            bytes.append(response.body.prefix(cut))
            _ = bytes.withUnsafeBytes { connection.send($0) }
            return false
        }
        bytes.append(response.body)
        return bytes.withUnsafeBytes { connection.send($0) }
    }
}
