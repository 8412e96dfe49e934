import Shared
import Synchronization

/// The running HTTP server of a fake service (at most one): started with the service's handler,
/// stopped once, and asked for its port. Shared by the fake Immich and the fake iCloud.
final class ServerSlot: Sendable {
    private let server = Mutex<HTTPServer?>(nil)

    /// Serves HTTPS when given a TLS identity.
    func start(port: UInt16, tls: TLSIdentity?, handler: @escaping HTTPServerHandler) throws {
        let http = HTTPServer(tls: tls, handler: handler)
        try http.start(port: port)
        server.withLock { $0 = http }
    }

    func stop() {
        let http = server.withLock { server -> HTTPServer? in
            defer { server = nil }
            return server
        }
        http?.stop()
    }

    var port: UInt16 { server.withLock { $0?.port ?? 0 } }
    /// `https://127.0.0.1:PORT` over TLS, else `http://…`.
    var baseURL: String { server.withLock { "\($0?.scheme ?? "http")://127.0.0.1:\($0?.port ?? 0)" } }
}
