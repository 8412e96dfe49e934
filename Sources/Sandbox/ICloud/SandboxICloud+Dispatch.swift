import Foundation
import Shared

/// Request dispatch: count, latency, throttling, then the idmsa or setup route.
extension SandboxICloud {
    func handle(_ request: HTTPServerRequest) -> HTTPServerResponse? {
        // Control endpoints for scripts (not counted, no latency).
        if request.path == "/_sandbox/counts" {
            let counts = requestCounts().sorted { $0.key < $1.key }.map { ($0.key, JSON.int($0.value)) }
            return Self.json(200, .object(JSONObject(counts)))
        }
        if request.path == "/_sandbox/reset-counts" { resetCounts(); return .empty(status: 204) }
        if request.path == "/_sandbox/library" { return libraryControl(request) }
        if request.path == "/_sandbox/latency", let ms = request.query["ms"].flatMap({ Int($0) }) {
            setConfig { $0.latencyMs = ms }  // benchmarks: set up fast, measure with latency
            return .empty(status: 204)
        }
        counts.withLock { counts in
            // Content paths are one per file: counted together.
            let path = request.path.hasPrefix("/content/") ? "/content" : request.path
            counts["\(request.method) \(path)", default: 0] += 1
            counts["total", default: 0] += 1
        }
        let config = currentConfig
        if config.latencyMs > 0 { usleep(useconds_t(config.latencyMs) * 1000) }
        if config.failEvery > 0, request.path.hasPrefix(Self.cloudKitPrefix) || request.path.hasPrefix("/content/") {
            let n = counts.withLock { counts in
                counts["faulted-candidates", default: 0] += 1
                return counts["faulted-candidates", default: 0]
            }
            if n % config.failEvery == 0 { return .text(status: 503, "Service Unavailable") }
        }
        if config.throttle { return .text(status: 503, "Service Unavailable") }
        let auth = "/appleauth/auth", setup = "/setup/ws/1"
        switch (request.method, request.path) {
        case ("POST", auth + "/signin/init"): return signinInit(request, config)
        case ("POST", auth + "/signin/complete"): return signinComplete(request, config)
        case ("POST", auth + "/repair/complete"): return repairComplete(request)
        case ("GET", auth): return trustedPhonesPage(request, config)
        case ("PUT", auth + "/verify/trusteddevice/securitycode"): return pushCode(request)
        case ("POST", auth + "/verify/trusteddevice/securitycode"): return verifyCode(request, config, sms: false)
        case ("PUT", auth + "/verify/phone"): return sendText(request, config)
        case ("POST", auth + "/verify/phone/securitycode"): return verifyCode(request, config, sms: true)
        case ("GET", auth + "/2sv/trust"): return trust(request)
        case ("POST", setup + "/accountLogin"): return accountLogin(request, config)
        case ("POST", setup + "/validate"): return validate(request, config)
        default:
            if request.path.hasPrefix(Self.cloudKitPrefix) {
                if config.cloudKitUnavailable { return .text(status: 503, "Service Unavailable") }
                return cloudKit(request, config)
            }
            if request.path.hasPrefix("/content/") { return content(request, config) }
            return .json(status: 404, data: Data(#"{"error":"Not Found"}"#.utf8))
        }
    }

    // MARK: helpers shared by the routes

    static func body(_ request: HTTPServerRequest) -> JSON? { try? JSON.parse(Array(request.body)) }

    static func json(_ status: Int, _ value: JSON, headers: [(String, String)] = []) -> HTTPServerResponse {
        var response = HTTPServerResponse.json(status: status, data: Data(value.serializedBytes))
        for (name, value) in headers { response.headers.add(name, value) }
        return response
    }

    /// Apple's error shape on idmsa: a `serviceErrors` array.
    static func serviceError(_ status: Int, code: String, message: String) -> HTTPServerResponse {
        json(status, ["serviceErrors": [["code": .string(code), "message": .string(message)]]])
    }

    static func cookies(_ request: HTTPServerRequest) -> [String: String] {
        var result: [String: String] = [:]
        for part in (request.headers["cookie"] ?? "").split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2 { result[pair[0]] = pair[1] }
        }
        return result
    }

    /// The idmsa session named by `X-Apple-ID-Session-Id`, if its `scnt` matches too.
    func idmsaSession(_ request: HTTPServerRequest) -> (id: String, session: ICloudWorld.IdmsaSession)? {
        guard let id = request.headers["x-apple-id-session-id"], let scnt = request.headers["scnt"] else { return nil }
        return world.withLock { world in
            guard let session = world.idmsaSessions[id], session.scnt == scnt else { return nil }
            return (id, session)
        }
    }

    func account(_ username: String, _ config: Config) -> Account? {
        config.accounts.first { $0.username == username.lowercased() }
    }
}
