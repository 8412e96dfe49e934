import Foundation

/// The request and response shapes of the SRP sign-in (icloudpd 1.32.x, docs/references.md#icloudpd-sign-in),
/// as pure functions. No networking here.
public enum SignInMessages {
    /// Which idmsa call the headers are for (Origin/Referer differ).
    public enum AuthCall: Sendable {
        /// `signin/init` and `signin/complete`: Origin/Referer are the idmsa root.
        case signin
        /// Other idmsa calls: the session's default Origin/Referer (www.icloud.com).
        case other
    }

    /// The auth headers icloudpd's `_get_auth_headers` builds, in its order, from the stored
    /// session (`scnt` and `X-Apple-ID-Session-Id` only when stored). `clientID` is the
    /// stored `client_id`.
    public static func authHeaders(endpoints: AuthEndpoints, session: SessionState, clientID: String,
                                   call: AuthCall = .other, accept: String = "application/json, text/javascript")
        -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("Accept", accept),
            ("Content-Type", "application/json"),
            ("X-Apple-OAuth-Client-Id", AuthEndpoints.widgetKey),
            ("X-Apple-OAuth-Client-Type", "firstPartyAuth"),
            ("X-Apple-OAuth-Redirect-URI", endpoints.home),
            ("X-Apple-OAuth-Require-Grant-Code", "true"),
            ("X-Apple-OAuth-Response-Mode", "web_message"),
            ("X-Apple-OAuth-Response-Type", "code"),
            ("X-Apple-OAuth-State", clientID),
            ("X-Apple-Widget-Key", AuthEndpoints.widgetKey),
        ]
        if let scnt = session.scnt { headers.append(("scnt", scnt)) }
        if let sessionID = session.sessionID { headers.append(("X-Apple-ID-Session-Id", sessionID)) }
        switch call {
        case .signin:
            headers.append(("Origin", endpoints.authRoot))
            headers.append(("Referer", endpoints.authRoot + "/"))
        case .other:
            headers.append(("Origin", endpoints.home))
            headers.append(("Referer", endpoints.home + "/"))
        }
        return headers
    }

    /// `signin/init` body: `{"a": base64(A), "accountName": …, "protocols": ["s2k", "s2k_fo"]}`.
    public static func initBody(A: Data, accountName: String) -> Data {
        let body: JSON = [
            "a": .string(A.base64EncodedString()),
            "accountName": .string(accountName),
            "protocols": .array(SRPProtocol.offered.map { .string($0) }),
        ]
        return Data(body.pythonSerialized.utf8)
    }

    /// The `signin/init` answer.
    public struct InitResponse: Sendable, Equatable {
        public let iterations: Int
        public let salt: Data
        public let `protocol`: SRPProtocol
        /// Server public value B.
        public let B: Data
        /// Opaque `c`, echoed in `signin/complete` unchanged.
        public let c: JSON

        public init(iterations: Int, salt: Data, protocol proto: SRPProtocol, B: Data, c: JSON) {
            self.iterations = iterations
            self.salt = salt
            self.protocol = proto
            self.B = B
            self.c = c
        }
    }

    public enum ResponseError: Error, Equatable, Sendable {
        case notJSONObject
        case missingField(String)
        case invalidField(String)
        case unsupportedProtocol(String)
    }

    /// Parses `{"iteration", "salt", "protocol", "b", "c"}`.
    public static func parseInitResponse(_ data: Data) throws -> InitResponse {
        guard let json = try? JSON.parse(Array(data)), case .object(let members) = json else {
            throw ResponseError.notJSONObject
        }
        func field(_ name: String) throws -> JSON {
            guard let value = members[name] else { throw ResponseError.missingField(name) }
            return value
        }
        func base64(_ name: String) throws -> Data {
            guard case .string(let s) = try field(name), let d = Data(base64Encoded: s), !d.isEmpty else {
                throw ResponseError.invalidField(name)
            }
            return d
        }
        let iterations: Int
        switch try field("iteration") {
        case .number(let n): guard let i = Int(n), i > 0 else { throw ResponseError.invalidField("iteration") }; iterations = i
        case .string(let s): guard let i = Int(s), i > 0 else { throw ResponseError.invalidField("iteration") }; iterations = i
        default: throw ResponseError.invalidField("iteration")
        }
        guard case .string(let protoName) = try field("protocol") else { throw ResponseError.invalidField("protocol") }
        guard let proto = SRPProtocol(rawValue: protoName) else { throw ResponseError.unsupportedProtocol(protoName) }
        return InitResponse(iterations: iterations, salt: try base64("salt"), protocol: proto,
                            B: try base64("b"), c: try field("c"))
    }

    /// `signin/complete` body: accountName, c, m1, m2, rememberMe, trustTokens.
    public static func completeBody(accountName: String, c: JSON, M1: Data, M2: Data,
                                    trustToken: String?) -> Data {
        let tokens: [JSON] = trustToken.map { [.string($0)] } ?? []
        let body: JSON = [
            "accountName": .string(accountName),
            "c": c,
            "m1": .string(M1.base64EncodedString()),
            "m2": .string(M2.base64EncodedString()),
            "rememberMe": .bool(true),
            "trustTokens": .array(tokens),
        ]
        return Data(body.pythonSerialized.utf8)
    }

    /// `accountLogin` body from the stored session.
    public static func accountLoginBody(session: SessionState) -> Data {
        let body: JSON = [
            "accountCountryCode": session.accountCountry.map { .string($0) } ?? .null,
            "dsWebAuthToken": session.sessionToken.map { .string($0) } ?? .null,
            "extended_login": .bool(true),
            "trustToken": .string(session.trustToken ?? ""),
        ]
        return Data(body.pythonSerialized.utf8)
    }

    /// `validate` body: the literal `null`.
    public static let validateBody = Data("null".utf8)
    /// `repair/complete` body.
    public static let repairBody = Data("{}".utf8)
}
