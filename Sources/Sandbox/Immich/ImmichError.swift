import Foundation
import Shared

/// A failure a route answers with; rendered in the version's error shape by `ImmichErrorBody`.
struct ImmichError: Error {
    /// One validation problem, carrying both the class-validator (v1/v2) and zod (v3) wording.
    struct Issue {
        var path: [SandboxJSON]
        var code: String
        var zodMessage: String
        var classValidatorMessage: String
    }

    enum Kind {
        case message(String)
        case validation([Issue])
    }

    var status: Int
    var kind: Kind

    static func badRequest(_ message: String) -> ImmichError { ImmichError(status: 400, kind: .message(message)) }
    static func noAccess(_ permission: String) -> ImmichError { .badRequest("Not found or no \(permission) access") }
    static let unauthorized = ImmichError(status: 401, kind: .message("Authentication required"))
    static let invalidAPIKey = ImmichError(status: 401, kind: .message("Invalid API key"))
    static let forbidden = ImmichError(status: 403, kind: .message("Forbidden"))
    static func notFound(_ message: String) -> ImmichError { ImmichError(status: 404, kind: .message(message)) }
    static func validation(_ issues: [Issue]) -> ImmichError { ImmichError(status: 400, kind: .validation(issues)) }

    static func invalid(_ key: String, code: String = "invalid_type", zod: String, classValidator: String) -> ImmichError {
        .validation([Issue(path: [.string(key)], code: code, zodMessage: zod, classValidatorMessage: classValidator)])
    }
}

/// Error bodies: v1.x–v2.x NestJS `{message, error, statusCode, correlationId}` plus the
/// `x-immich-cid` header; v3 `{message}` (or `{message:"Validation failed", errors}`) plus `X-Correlation-ID`.
enum ImmichErrorBody {
    static func response(_ error: ImmichError, version: ImmichVersion) -> HTTPServerResponse {
        let correlationId = String(SandboxUUID.make().prefix(8))
        var body: [String: SandboxJSON]
        var response: HTTPServerResponse
        if version.isZod {
            switch error.kind {
            case .message(let message):
                body = ["message": .string(message)]
            case .validation(let issues):
                body = ["message": "Validation failed",
                        "errors": .array(issues.map { ["code": .string($0.code), "path": .array($0.path), "message": .string($0.zodMessage)] })]
            }
            response = .json(status: error.status, .object(body))
            response.headers.add("X-Correlation-ID", correlationId)
        } else {
            switch error.kind {
            case .message(let message): body = ["message": .string(message)]
            case .validation(let issues): body = ["message": .array(issues.map { .string($0.classValidatorMessage) })]
            }
            body["error"] = .string(HTTPServerResponse.reasonPhrase(error.status))
            body["statusCode"] = .int(error.status)
            body["correlationId"] = .string(correlationId)
            response = .json(status: error.status, .object(body))
            response.headers.add("x-immich-cid", correlationId)
        }
        return response
    }
}
