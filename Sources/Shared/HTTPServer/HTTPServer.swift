#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Synchronization

public enum HTTPServerError: Error, CustomStringConvertible {
    case socket(String, Int32)
    case alreadyStarted

    public var description: String {
        switch self {
        case let .socket(call, code): return "\(call) failed: \(String(cString: strerror(code)))"
        case .alreadyStarted: return "server already started"
        }
    }
}

/// A small threaded HTTP/1.1 server bound to 127.0.0.1 only.
/// One thread accepts; each connection gets its own thread and is kept alive until the
/// client closes, asks for `Connection: close`, or `stop()` is called.
public final class HTTPServer: Sendable {
    private struct State {
        var listener: Int32 = -1
        var port: UInt16 = 0
        var stopped = false
        var connections: Set<Int32> = []
    }

    private let handler: HTTPServerHandler
    private let state = Mutex(State())
    private let acceptLoopDone = DispatchSemaphore(value: 0)

    public init(handler: @escaping HTTPServerHandler) {
        self.handler = handler
    }

    /// The bound port (useful after starting on port 0); 0 before `start`.
    public var port: UInt16 { state.withLock { $0.port } }

    /// Binds 127.0.0.1:`port` (0 = any free port) and starts accepting.
    public func start(port: UInt16 = 0) throws {
        // Writes to a closed peer must fail with EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        let alreadyStarted = state.withLock { $0.listener >= 0 }
        if alreadyStarted { throw HTTPServerError.alreadyStarted }

        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPServerError.socket("socket", errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError.socket("bind 127.0.0.1:\(port)", code)
        }
        guard listen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw HTTPServerError.socket("listen", code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let chosenPort = UInt16(bigEndian: actual.sin_port)
        state.withLock {
            $0.listener = fd
            $0.port = chosenPort
            $0.stopped = false
        }
        let thread = Thread { [self] in acceptLoop(listener: fd) }
        thread.name = "http-accept-\(chosenPort)"
        thread.start()
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

    private func acceptLoop(listener: Int32) {
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
            var yes: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in serve(client) }
            thread.name = "http-connection"
            thread.start()
        }
        state.withLock { state in
            close(listener)
            state.listener = -1
        }
        acceptLoopDone.signal()
    }

    private func serve(_ fd: Int32) {
        defer {
            state.withLock { state in
                state.connections.remove(fd)
                close(fd)
            }
        }
        let reader = HTTPRequestReader(reader: SocketReader(fd: fd))
        while !state.withLock({ $0.stopped }) {
            switch reader.next() {
            case .closed:
                return
            case .malformed(let reason):
                _ = send(HTTPServerResponse.text(status: 400, "Bad Request: \(reason)\n"), on: fd, keepAlive: false)
                return
            case let .request(request, keepAlive):
                guard let response = handler(request) else { return } // injected drop
                guard send(response, on: fd, keepAlive: keepAlive), keepAlive else { return }
            }
        }
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

    /// Writes the whole response; false when the peer is gone.
    private func send(_ response: HTTPServerResponse, on fd: Int32, keepAlive: Bool) -> Bool {
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
            _ = write(bytes, on: fd)
            return false
        }
        bytes.append(response.body)
        return write(bytes, on: fd)
    }

    private func write(_ bytes: Data, on fd: Int32) -> Bool {
        return bytes.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let sent = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += sent
            }
            return true
        }
    }
}
