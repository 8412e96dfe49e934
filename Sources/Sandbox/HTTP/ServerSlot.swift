import Shared
import Synchronization

/// The running HTTP server of a fake service (at most one): started with the service's handler,
/// stopped once, and asked for its port. Shared by the fake Immich and the fake iCloud.
final class ServerSlot: Sendable {
    private let server = Mutex<HTTPServer?>(nil)

    func start(port: UInt16, handler: @escaping HTTPServerHandler) throws {
        let http = HTTPServer(handler: handler)
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
    var baseURL: String { "http://127.0.0.1:\(port)" }
}
