import Foundation
import Shared

/// Request dispatch: control endpoints, then for `/api`: count, latency, faults, auth, route.
extension SandboxImmich {
    static let routes: [ImmichRoute] = ServerRoutes.routes + LibraryRoutes.routes + SearchRoutes.routes
        + AssetRoutes.routes + TrashRoutes.routes + StackRoutes.routes + AlbumRoutes.routes

    func handle(_ request: HTTPServerRequest) -> HTTPServerResponse? {
        let response: HTTPServerResponse?
        if request.path.hasPrefix("/_sandbox/") {
            response = handleControl(request)
        } else if request.path == "/api" || request.path.hasPrefix("/api/") {
            response = handleAPI(request).map { withCorrelationId($0, version: version) }
        } else {
            response = ImmichErrorBody.response(.notFound("Cannot \(request.method) \(request.path)"), version: version)
        }
        log("\(request.method) \(request.path)\(request.rawQuery.isEmpty ? "" : "?…") → \(response.map { String($0.status) } ?? "dropped")")
        return response
    }

    private func handleAPI(_ request: HTTPServerRequest) -> HTTPServerResponse? {
        let version = self.version
        let segments = request.path.split(separator: "/")
        var matched: (route: ImmichRoute, params: [String: String])?
        for route in Self.routes where route.method == request.method {
            if let minimum = route.minVersion, version < minimum { continue }
            if let params = route.match(segments) { matched = (route, params); break }
        }
        let key = "\(request.method) \(matched?.route.template ?? request.path)"
        counts.withLock { counts in
            counts[key, default: 0] += 1
            counts["total", default: 0] += 1
        }

        let config = currentConfig
        if config.latencyMs > 0 { usleep(useconds_t(config.latencyMs) * 1000) }
        // Faults are decided before the handler, so a faulted request never changes state.
        let fault = random.withLock { FaultDecision.decide(&$0, dropRate: config.dropRate, failRate: config.failRate) }
        switch fault {
        case .drop: return nil
        case .fail(let status):
            let message = status == 500 ? "Internal server error" : HTTPServerResponse.reasonPhrase(status)
            return ImmichErrorBody.response(ImmichError(status: status, kind: .message(message)), version: version)
        case .none: break
        }

        guard let (route, params) = matched else {
            return ImmichErrorBody.response(.notFound("Cannot \(request.method) \(request.path)"), version: version)
        }
        do {
            let caller = try authenticate(request, route.auth)
            for (name, value) in params where !RequestBody.isValidUUID(value, version) {
                throw ImmichError.invalid(name, code: "invalid_format", zod: "Invalid UUID", classValidator: "\(name) must be a UUID")
            }
            let context = RouteContext(request: request, params: params, caller: caller, version: version, immich: self)
            return try route.handle(context)
        } catch let error as ImmichError {
            return ImmichErrorBody.response(error, version: version)
        } catch {
            return ImmichErrorBody.response(ImmichError(status: 500, kind: .message("Internal server error")), version: version)
        }
    }

    /// Immich tags every API response with a correlation id (header name by era); errors already have one.
    private func withCorrelationId(_ response: HTTPServerResponse, version: ImmichVersion) -> HTTPServerResponse {
        guard response.headers["x-immich-cid"] == nil, response.headers["X-Correlation-ID"] == nil else { return response }
        var tagged = response
        tagged.headers.add(version.isZod ? "X-Correlation-ID" : "x-immich-cid", String(SandboxUUID.make().prefix(8)))
        return tagged
    }

    private func authenticate(_ request: HTTPServerRequest, _ auth: RouteAuth) throws -> UserRecord? {
        if auth == .none { return nil }
        guard let key = request.headers["x-api-key"] ?? request.query["apiKey"], !key.isEmpty else {
            throw ImmichError.unauthorized
        }
        guard let user = world.withLock({ $0.user(apiKey: key) }) else { throw ImmichError.invalidAPIKey }
        if auth == .admin && !user.isAdmin { throw ImmichError.forbidden }
        return user
    }
}
