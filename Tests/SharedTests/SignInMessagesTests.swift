import Foundation
import Sandbox
import Testing
@testable import Shared

@Suite struct SignInMessagesTests {
    @Test func endpoints() {
        let com = AuthEndpoints(domain: .com)
        #expect(com.auth == "https://idmsa.apple.com/appleauth/auth")
        #expect(com.setup == "https://setup.icloud.com/setup/ws/1")
        #expect(com.signinCompleteURL == "https://idmsa.apple.com/appleauth/auth/signin/complete?isRememberMeEnabled=true")
        let cn = AuthEndpoints(domain: .cn)
        #expect(cn.authRoot == "https://idmsa.apple.com.cn" && cn.home == "https://www.icloud.com.cn")
        #expect(cn.setup == "https://setup.icloud.com.cn/setup/ws/1")
        #expect(AuthEndpoints.newClientID().hasPrefix("auth-"))
    }

    @Test func authHeaders() {
        var session = SessionState()
        let e = AuthEndpoints(domain: .com)
        let bare = SignInMessages.authHeaders(endpoints: e, session: session, clientID: "auth-1", call: .signin)
        #expect(!bare.contains { $0.name == "scnt" || $0.name == "X-Apple-ID-Session-Id" })
        #expect(bare.first { $0.name == "Origin" }?.value == "https://idmsa.apple.com")
        #expect(bare.first { $0.name == "Referer" }?.value == "https://idmsa.apple.com/")
        session.scnt = "S"
        session.sessionID = "ID"
        let h = SignInMessages.authHeaders(endpoints: e, session: session, clientID: "auth-1")
        let dict = Dictionary(uniqueKeysWithValues: h.map { ($0.name, $0.value) })
        #expect(dict["scnt"] == "S" && dict["X-Apple-ID-Session-Id"] == "ID")
        #expect(dict["X-Apple-OAuth-State"] == "auth-1")
        #expect(dict["X-Apple-Widget-Key"] == AuthEndpoints.widgetKey)
        #expect(dict["Accept"] == "application/json, text/javascript")
        #expect(dict["Origin"] == "https://www.icloud.com")
        #expect(dict["X-Apple-OAuth-Redirect-URI"] == "https://www.icloud.com")
    }

    @Test func bodies() {
        #expect(String(decoding: SignInMessages.initBody(A: Data([1, 2, 3]), accountName: "u@example.com"), as: UTF8.self)
                == #"{"a": "AQID", "accountName": "u@example.com", "protocols": ["s2k", "s2k_fo"]}"#)
        #expect(String(decoding: SignInMessages.completeBody(accountName: "u", c: .string("c-1"), M1: Data([1]), M2: Data([2]), trustToken: nil), as: UTF8.self)
                == #"{"accountName": "u", "c": "c-1", "m1": "AQ==", "m2": "Ag==", "rememberMe": true, "trustTokens": []}"#)
        var s = SessionState()
        #expect(String(decoding: SignInMessages.accountLoginBody(session: s), as: UTF8.self)
                == #"{"accountCountryCode": null, "dsWebAuthToken": null, "extended_login": true, "trustToken": ""}"#)
        s.accountCountry = "USA"; s.sessionToken = "T"; s.trustToken = "TT"
        #expect(String(decoding: SignInMessages.accountLoginBody(session: s), as: UTF8.self)
                == #"{"accountCountryCode": "USA", "dsWebAuthToken": "T", "extended_login": true, "trustToken": "TT"}"#)
    }

    @Test func parseInit() throws {
        let r = try SignInMessages.parseInitResponse(Data(#"{"iteration": 20064, "salt": "AQID", "protocol": "s2k_fo", "b": "BAU=", "c": "d-123-abc:PRN"}"#.utf8))
        #expect(r.iterations == 20064 && r.salt == Data([1, 2, 3]) && r.protocol == .s2kFo && r.B == Data([4, 5]))
        #expect(r.c == .string("d-123-abc:PRN"))
        #expect(throws: SignInMessages.ResponseError.missingField("b")) {
            try SignInMessages.parseInitResponse(Data(#"{"iteration": 1, "salt": "AQID", "protocol": "s2k", "c": "x"}"#.utf8))
        }
        #expect(throws: SignInMessages.ResponseError.unsupportedProtocol("s3k")) {
            try SignInMessages.parseInitResponse(Data(#"{"iteration": 1, "salt": "AQID", "protocol": "s3k", "b": "AQ==", "c": "x"}"#.utf8))
        }
        #expect(throws: SignInMessages.ResponseError.notJSONObject) { try SignInMessages.parseInitResponse(Data("<html>".utf8)) }
    }

    /// Client and server talking through the message shapes only.
    @Test(arguments: SRPProtocol.allCases) func exchangeThroughMessages(_ proto: SRPProtocol) throws {
        var client = try SRPClient()
        let initBody = SignInMessages.initBody(A: client.A, accountName: "u@example.com")
        guard case .object(let req) = try JSON.parse(Array(initBody)),
              case .string(let aB64)? = req["a"] else { Issue.record("bad init"); return }
        let salt = try Crypto.randomBytes(count: 16)
        let server = try SRPServer(username: "u@example.com", password: "pw", salt: salt, iterations: 100, protocol: proto)
        let reply: JSON = ["iteration": .number("100"), "salt": .string(salt.base64EncodedString()),
                           "protocol": .string(proto.rawValue), "b": .string(server.B.base64EncodedString()),
                           "c": .string("c-token")]
        let replyText = reply.pythonSerialized
        let parsed = try SignInMessages.parseInitResponse(Data(replyText.utf8))
        let m1 = try client.respond(salt: parsed.salt, B: parsed.B, iterations: parsed.iterations,
                                    protocol: parsed.protocol, username: "u@example.com", password: "pw")
        let complete = SignInMessages.completeBody(accountName: "u@example.com", c: parsed.c, M1: m1,
                                                   M2: try #require(client.M2), trustToken: "trust")
        guard case .object(let body) = try JSON.parse(Array(complete)),
              case .string(let m1B64)? = body["m1"],
              case .string(let m2B64)? = body["m2"] else { Issue.record("bad complete"); return }
        let session = try server.verify(A: try #require(Data(base64Encoded: aB64)),
                                        M1: try #require(Data(base64Encoded: m1B64)),
                                        M2: try #require(Data(base64Encoded: m2B64)))
        #expect(session.K == client.K)
    }
}
