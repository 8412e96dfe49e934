import Foundation
import Shared

/// Content downloads (`/content/<zone>/<index>/<prefix>/…`): deterministic bytes, `Range`
/// (206 with `Content-Range`), and the injected faults of `SandboxContentFaults`.
extension SandboxICloud {
    func content(_ request: HTTPServerRequest, _ config: Config) -> HTTPServerResponse? {
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 4, let index = Int(parts[2]),
              let library = ([config.library] + config.sharedLibraries).first(where: { $0.zoneName == parts[1] }),
              index >= 0, index < library.count, let body = library.content(index: index, prefix: parts[3]) else {
            return .text(status: 404, "no such content")
        }
        let key = parts[1] + "/" + parts[2] + "/" + parts[3]
        let range = request.headers["range"]
        let faults = config.contentFaults
        var truncate: Int? = nil
        if !faults.isEmpty {
            let attempt = world.withLock { world -> Int in
                world.contentAttempts[key, default: 0] += 1
                return world.contentAttempts[key]!
            }
            if faults.alwaysFailing.contains(index) { return .text(status: faults.alwaysFailingStatus, "broken") }
            if attempt <= faults.failFirst { return .text(status: 503, "Service Unavailable") }
            if attempt <= faults.failFirst + faults.throttleFirst {
                var r = HTTPServerResponse.text(status: 429, "Too Many Requests")
                r.headers.add("Retry-After", "0")
                return r
            }
            if attempt <= faults.failFirst + faults.throttleFirst + faults.dropFirst { return nil }
            if let cut = faults.truncateOnceAt, attempt == faults.failFirst + faults.throttleFirst + faults.dropFirst + 1 { truncate = cut }
        }
        if config.recordRanges { world.withLock { $0.rangeHeaders.append((key, range)) } }
        var response: HTTPServerResponse
        if let range, let start = Self.rangeStart(range) {
            guard start < body.count else {
                response = .text(status: 416, "Range Not Satisfiable")
                response.headers.add("Content-Range", "bytes */\(body.count)")
                return response
            }
            response = HTTPServerResponse(status: 206, body: body.subdata(in: start..<body.count))
            response.headers.add("Content-Range", "bytes \(start)-\(body.count - 1)/\(body.count)")
        } else {
            response = HTTPServerResponse(status: 200, body: body)
        }
        response.headers.add("Content-Type", "application/octet-stream")
        response.headers.add("Accept-Ranges", "bytes")
        if let truncate, truncate < response.body.count {
            response.truncateAfter = truncate
        }
        return response
    }

    /// `bytes=N-` or `bytes=N-M` (the end is ignored: we always send to the end).
    static func rangeStart(_ header: String) -> Int? {
        guard header.hasPrefix("bytes=") else { return nil }
        let spec = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        return spec.first.flatMap { Int($0) }
    }
}
