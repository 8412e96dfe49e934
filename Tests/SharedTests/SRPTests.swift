import Foundation
import Sandbox
import Testing
@testable import Shared

struct SRPVector: Decodable, Sendable, CustomTestStringConvertible {
    let accountName: String
    let password: String
    let `protocol`: String
    let iteration: Int
    let salt: String
    let derivedPassword: String
    let a: String
    let A: String
    let b: String
    let B: String
    let verifier: String
    let m1: String
    let m2: String
    let K: String

    var testDescription: String { "\(accountName) \(`protocol`) \(iteration)" }

    func bytes(_ s: String) -> Data { Data(base64Encoded: s)! }

    static func load() throws -> [SRPVector] {
        struct File: Decodable { let cases: [SRPVector] }
        let url = try #require(Bundle.module.url(forResource: "srp-apple", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }
}

@Suite struct SRPTests {
    static let vectors: [SRPVector] = (try? SRPVector.load()) ?? []

    @Test func vectorsLoaded() { #expect(Self.vectors.count >= 5) }

    @Test func groupConstants() {
        #expect(SRPGroup.N.count == 256)
        #expect(SRPGroup.paddedG.count == 256 && SRPGroup.paddedG.last == 2)
    }

    @Test(arguments: vectors) func clientMatchesVector(_ v: SRPVector) throws {
        let proto = try #require(SRPProtocol(rawValue: v.protocol))
        #expect(try proto.derivePassword(v.password, salt: v.bytes(v.salt), iterations: v.iteration)
                == v.bytes(v.derivedPassword))
        var client = try SRPClient(a: v.bytes(v.a))
        #expect(client.A == v.bytes(v.A))
        let m1 = try client.respond(salt: v.bytes(v.salt), B: v.bytes(v.B), iterations: v.iteration,
                                    protocol: proto, username: v.accountName, password: v.password)
        #expect(m1 == v.bytes(v.m1))
        #expect(client.M1 == v.bytes(v.m1))
        #expect(client.M2 == v.bytes(v.m2))
        #expect(client.K == v.bytes(v.K))
        #expect(client.verify(M2: v.bytes(v.m2)))
        #expect(!client.verify(M2: v.bytes(v.m1)))
    }

    @Test(arguments: vectors) func serverMatchesVector(_ v: SRPVector) throws {
        let proto = try #require(SRPProtocol(rawValue: v.protocol))
        let server = try SRPServer(username: v.accountName, password: v.password, salt: v.bytes(v.salt),
                                   iterations: v.iteration, protocol: proto, b: v.bytes(v.b))
        #expect(SRPGroup.pad(server.verifier) == v.bytes(v.verifier))
        #expect(SRPGroup.pad(server.B) == v.bytes(v.B))
        let session = try server.verify(A: v.bytes(v.A), M1: v.bytes(v.m1), M2: v.bytes(v.m2))
        #expect(session.K == v.bytes(v.K))
        #expect(session.M2 == v.bytes(v.m2))
        // From a stored verifier (padded form accepted) too.
        let fromVerifier = try SRPServer(username: v.accountName, verifier: v.bytes(v.verifier), salt: v.bytes(v.salt),
                                         iterations: v.iteration, protocol: proto, b: v.bytes(v.b))
        #expect(fromVerifier.B == server.B)
    }

    @Test(arguments: SRPProtocol.allCases) func roundTrip(_ proto: SRPProtocol) throws {
        let salt = try Crypto.randomBytes(count: 16)
        let server = try SRPServer(username: "someone@example.com", password: "s3cret ☃", salt: salt,
                                   iterations: 1000, protocol: proto)
        var client = try SRPClient()
        let m1 = try client.respond(salt: salt, B: server.B, iterations: 1000, protocol: proto,
                                    username: "someone@example.com", password: "s3cret ☃")
        let session = try server.verify(A: client.A, M1: m1, M2: try #require(client.M2))
        #expect(session.K == client.K)
        #expect(client.verify(M2: session.M2))
    }

    @Test(arguments: SRPProtocol.allCases) func wrongPasswordFails(_ proto: SRPProtocol) throws {
        let salt = try Crypto.randomBytes(count: 16)
        let server = try SRPServer(username: "u@example.com", password: "right", salt: salt,
                                   iterations: 10, protocol: proto)
        var client = try SRPClient()
        let m1 = try client.respond(salt: salt, B: server.B, iterations: 10, protocol: proto,
                                    username: "u@example.com", password: "wrong")
        #expect(throws: SRPError.badClientProof) { try server.verify(A: client.A, M1: m1) }
    }

    @Test func wrongUsernameFailsAndProtocolsDiffer() throws {
        let salt = Data(repeating: 7, count: 16)
        let server = try SRPServer(username: "u@example.com", password: "pw", salt: salt, iterations: 5, protocol: .s2k)
        var client = try SRPClient()
        let m1 = try client.respond(salt: salt, B: server.B, iterations: 5, protocol: .s2k,
                                    username: "other@example.com", password: "pw")
        #expect(throws: SRPError.badClientProof) { try server.verify(A: client.A, M1: m1) }

        var client2 = try SRPClient()
        let m1b = try client2.respond(salt: salt, B: server.B, iterations: 5, protocol: .s2kFo,
                                      username: "u@example.com", password: "pw")
        #expect(throws: SRPError.badClientProof) { try server.verify(A: client2.A, M1: m1b) }
    }

    @Test func badM2Rejected() throws {
        let salt = Data(repeating: 1, count: 16)
        let server = try SRPServer(username: "u", password: "pw", salt: salt, iterations: 3, protocol: .s2k)
        var client = try SRPClient()
        let m1 = try client.respond(salt: salt, B: server.B, iterations: 3, protocol: .s2k, username: "u", password: "pw")
        #expect(throws: SRPError.badClientServerProof) {
            try server.verify(A: client.A, M1: m1, M2: Data(repeating: 0, count: 32))
        }
    }

    @Test func degenerateValuesRejected() throws {
        #expect(throws: SRPError.invalidPrivateKey) { try SRPClient(a: Data([0, 0])) }
        var client = try SRPClient()
        #expect(throws: SRPError.invalidPublicKey) {
            try client.respond(salt: Data([1]), B: SRPGroup.N, iterations: 1, protocol: .s2k, username: "u", password: "p")
        }
        #expect(throws: SRPError.invalidPublicKey) {
            try client.respond(salt: Data([1]), B: Data(), iterations: 1, protocol: .s2k, username: "u", password: "p")
        }
        #expect(throws: SRPError.invalidIterations(0)) {
            try client.respond(salt: Data([1]), B: Data([5]), iterations: 0, protocol: .s2k, username: "u", password: "p")
        }
        let server = try SRPServer(username: "u", password: "p", salt: Data([1]), iterations: 1, protocol: .s2k)
        #expect(throws: SRPError.invalidPublicKey) { try server.verify(A: SRPGroup.N, M1: Data()) }
        #expect(!client.verify(M2: Data()))
    }
}
