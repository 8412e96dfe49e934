import Foundation
import Testing
import Sandbox

@Suite struct AuthAndErrorTests {
    @Test func v2ErrorShapes() async throws {
        let fixture = try SandboxFixture(version: "2.5.6")
        let missing = try await fixture.call("GET", "/api/users/me", key: nil)
        #expect(missing.status == 401)
        #expect(missing.json?["message"] == "Authentication required")
        #expect(missing.json?["statusCode"] == 401)
        #expect(missing.json?["error"] == "Unauthorized")
        #expect(missing.json?["correlationId"]?.stringValue != nil)
        #expect(missing.header("x-immich-cid") != nil)

        let wrong = try await fixture.call("GET", "/api/users/me", key: "nope")
        #expect(wrong.status == 401)

        _ = fixture.immich.addUser(name: "Bob", apiKey: "bob-key", isAdmin: false)
        let forbidden = try await fixture.call("GET", "/api/libraries", key: "bob-key")
        #expect(forbidden.status == 403)
        #expect(forbidden.json?["message"] == "Forbidden")

        let me = try await fixture.call("GET", "/api/users/me", key: "bob-key")
        #expect(me.json?["isAdmin"] == false)
        #expect(me.json?["name"] == "Bob")

        let ping = try await fixture.call("GET", "/api/server/ping", key: nil)
        #expect(ping.json == ["res": "pong"])
        let version = try await fixture.call("GET", "/api/server/version", key: nil)
        #expect(version.json == ["major": 2, "minor": 5, "patch": 6])
        let about = try await fixture.call("GET", "/api/server/about")
        #expect(about.json?["version"] == "v2.5.6")

        let unknown = try await fixture.call("GET", "/api/nothing-here")
        #expect(unknown.status == 404)
        #expect(unknown.json?["message"] == "Cannot GET /api/nothing-here")

        let badId = try await fixture.call("GET", "/api/assets/not-a-uuid")
        #expect(badId.status == 400)
        #expect(badId.json?["message"] == ["id must be a UUID"])

        let foreign = try await fixture.call("GET", "/api/assets/\(UUID().uuidString.lowercased())")
        #expect(foreign.status == 400)
        #expect(foreign.json?["message"] == "Not found or no asset.read access")

        let library = try await fixture.call("GET", "/api/libraries/\(UUID().uuidString.lowercased())")
        #expect(library.json?["message"] == "Library not found")

        let extra = try await fixture.call("POST", "/api/search/metadata", ["bogus": true])
        #expect(extra.status == 400)
        #expect(extra.json?["message"] == ["property bogus should not exist"])
    }

    @Test func v3ErrorShapes() async throws {
        let fixture = try SandboxFixture(version: "3.2.2")
        let missing = try await fixture.call("GET", "/api/users/me", key: nil)
        #expect(missing.status == 401)
        #expect(missing.json == ["message": "Authentication required"])
        #expect(missing.header("X-Correlation-ID") != nil)

        // v3 wants UUID v4 and reports zod-shaped validation errors.
        let notV4 = try await fixture.call("PUT", "/api/assets", ["ids": ["00000000-0000-0000-0000-000000000000"], "isFavorite": true])
        #expect(notV4.status == 400)
        #expect(notV4.json?["message"] == "Validation failed")
        #expect(notV4.json?["errors"]?.arrayValue?.first?["path"] == ["ids", 0])

        // Unknown keys are stripped, not rejected.
        let stripped = try await fixture.call("POST", "/api/search/metadata", ["bogus": true])
        #expect(stripped.status == 200)
    }
}
