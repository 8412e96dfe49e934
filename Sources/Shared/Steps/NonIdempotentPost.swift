import Foundation

/// Sends a POST that creates something (`/albums`, `/stacks`) without automatic resending: after
/// a failure that may have landed (no answer, 429, 5xx) it first asks `landed` whether the
/// server holds the result, and only sends again if not. Names and asset sets are not unique
/// keys on the server, so a blind retry could create a duplicate.
struct NonIdempotentPost {
    let client: ImmichClient
    var attempts = 4
    var baseDelay = 0.2

    func send(_ path: String, body: JSON, landed: () async throws -> JSON?) async throws -> JSON {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.call("POST", path, body: body, retry: .never)
            } catch {
                guard Self.mayHaveLanded(error), attempt < attempts else { throw error }
                try await Task.sleep(nanoseconds: UInt64(baseDelay * pow(2, Double(attempt - 1)) * 1e9))
                Log.debug("POST /api\(path) failed (\(error)); checking whether it landed before sending again")
                if let result = try await landed() { return result }
            }
        }
    }

    static func mayHaveLanded(_ error: Error) -> Bool {
        switch error {
        case is HTTPError: return true
        case let error as ImmichAPIError: return error.status == 429 || error.status >= 500
        default: return false
        }
    }
}
