import Shared

extension HTTPServerResponse {
    /// A JSON response from a `SandboxJSON` value.
    static func json(status: Int = 200, _ value: SandboxJSON) -> HTTPServerResponse {
        json(status: status, data: value.encoded())
    }
}
