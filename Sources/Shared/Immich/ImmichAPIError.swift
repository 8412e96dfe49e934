import Foundation

/// A non-2xx answer from Immich, with the message from its error body (v2 `message` string or
/// array, v3 `message` + `errors[]`) and the correlation id that helps the admin find the log.
public struct ImmichAPIError: Error, Sendable, CustomStringConvertible {
    public let method: String
    public let path: String
    public let status: Int
    public let message: String
    public let correlationId: String?

    /// `shape` is what the server's version answers with (`ImmichCapabilities.errors`); the
    /// other shape is still understood (a proxy, or the version probe, may answer otherwise).
    public init(method: String, path: String, response: HTTPResponse, shape: ImmichCapabilities.ErrorShape = .zod) {
        self.method = method
        self.path = path
        self.status = response.status
        self.message = ImmichAPIError.message(from: response.body, status: response.status)
        let zod = response.header("x-correlation-id"), nest = response.header("x-immich-cid")
        self.correlationId = shape == .zod ? zod ?? nest : nest ?? zod
    }

    static func message(from body: Data, status: Int) -> String {
        guard let json = try? JSON.parse(Array(body)) else {
            let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? "HTTP \(status)" : text
        }
        var parts: [String] = []
        switch json["message"] {
        case .string(let text): parts.append(text)
        case .array(let items): parts.append(items.compactMap(\.stringValue).joined(separator: "; "))
        default: break
        }
        if let errors = json["errors"]?.arrayValue {
            let details = errors.compactMap { error -> String? in
                let path = error["path"]?.arrayValue?.map { $0.stringValue ?? $0.serialized }.joined(separator: ".")
                guard let message = error["message"]?.stringValue else { return nil }
                return path.map { "\($0): \(message)" } ?? message
            }
            if !details.isEmpty { parts.append(details.joined(separator: "; ")) }
        }
        return parts.isEmpty ? json.serialized : parts.joined(separator: ": ")
    }

    /// "Not found or no … access": the id is missing or belongs to someone else.
    public var isNotFoundOrNoAccess: Bool { status == 400 && message.hasPrefix("Not found or no") }

    public var description: String {
        "\(method) \(path) answered \(status): \(message)" + (correlationId.map { " (correlation id \($0))" } ?? "")
    }
}
