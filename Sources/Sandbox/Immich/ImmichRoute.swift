import Foundation
import Shared

/// Who may call a route.
enum RouteAuth: Sendable { case none, user, admin }

/// What a route handler sees: the request, its path parameters, the caller and the server.
struct RouteContext {
    let request: HTTPServerRequest
    let params: [String: String]
    /// The authenticated user; a placeholder for `.none` routes is never used.
    let caller: UserRecord?
    let version: ImmichVersion
    let immich: SandboxImmich

    var callerId: String { caller?.id ?? "" }

    func body() throws -> RequestBody { try RequestBody(request, version: version) }

    func param(_ name: String) -> String { params[name] ?? "" }

    /// Runs `body` with the database locked; DTO rendering happens inside, so it is consistent.
    func withWorld<T: Sendable>(_ body: (inout ImmichWorld) throws -> T) throws -> T {
        try immich.withWorld(body)
    }

    func dtos(_ world: ImmichWorld) -> ImmichDTOs { ImmichDTOs(world: world, version: version) }
}

/// One endpoint: method, path template (`/api/assets/{id}`), auth, version window, handler.
struct ImmichRoute: Sendable {
    let method: String
    let template: String
    let segments: [Substring]
    let auth: RouteAuth
    let minVersion: ImmichVersion?
    let handle: @Sendable (RouteContext) throws -> HTTPServerResponse

    init(_ method: String, _ template: String, auth: RouteAuth = .user, since minVersion: ImmichVersion? = nil,
         _ handle: @escaping @Sendable (RouteContext) throws -> HTTPServerResponse) {
        self.method = method
        self.template = template
        self.segments = template.split(separator: "/")
        self.auth = auth
        self.minVersion = minVersion
        self.handle = handle
    }

    /// Path parameters when `path` fits the template, else nil.
    func match(_ pathSegments: [Substring]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var params: [String: String] = [:]
        for (pattern, actual) in zip(segments, pathSegments) {
            if pattern.hasPrefix("{") && pattern.hasSuffix("}") {
                params[String(pattern.dropFirst().dropLast())] = QueryString.percentDecode(String(actual))
            } else if pattern != actual {
                return nil
            }
        }
        return params
    }
}
