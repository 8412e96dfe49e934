import Foundation
import Testing
import Sandbox

@Suite struct FaultAndCountTests {
    @Test func failRateIsRoughlyHonouredAndChangesNothing() async throws {
        let fixture = try SandboxFixture(files: ["a.jpg"])
        try await fixture.scan()
        let a = fixture.assetId("a.jpg")
        fixture.immich.setConfig { $0.failRate = 0.3 }
        var failures = 0
        for _ in 0..<200 {
            let reply = try await fixture.call("PUT", "/api/assets", ["ids": [.string(a)], "isFavorite": false])
            if reply.status >= 500 {
                failures += 1
                #expect(reply.json?["message"]?.stringValue != nil)
            }
        }
        #expect((35...85).contains(failures))

        fixture.immich.setConfig { $0.failRate = 1 }
        let failed = try await fixture.call("PUT", "/api/assets", ["ids": [.string(a)], "isFavorite": true])
        #expect([500, 502, 503].contains(failed.status))
        #expect(fixture.asset(a)["isFavorite"] == false)

        // Control endpoints are never faulted.
        #expect(try await fixture.call("GET", "/_sandbox/counts", key: nil).status == 200)
        fixture.immich.setConfig { $0.failRate = 0; $0.dropRate = 1 }
        await #expect(throws: (any Error).self) {
            _ = try await fixture.call("PUT", "/api/assets", ["ids": [.string(a)], "isFavorite": true])
        }
        #expect(fixture.asset(a)["isFavorite"] == false)
        fixture.immich.setConfig { $0.dropRate = 0 }
        #expect(try await fixture.call("GET", "/api/server/ping").status == 200)
    }

    @Test func countsPerTemplate() async throws {
        let fixture = try SandboxFixture()
        let id = UUID().uuidString.lowercased()
        _ = try await fixture.call("GET", "/api/assets/\(id)")
        _ = try await fixture.call("PUT", "/api/assets/\(id)", ["isFavorite": true])
        _ = try await fixture.call("POST", "/api/search/metadata", [:])
        _ = try await fixture.call("POST", "/api/search/metadata", [:])
        let counts = fixture.immich.requestCounts()
        #expect(counts["GET /api/assets/{id}"] == 1)
        #expect(counts["PUT /api/assets/{id}"] == 1)
        #expect(counts["POST /api/search/metadata"] == 2)
        #expect(counts["total"] == 4)
        let overHTTP = try await fixture.call("GET", "/_sandbox/counts", key: nil)
        #expect(overHTTP.json?["total"] == 4)
        #expect(try await fixture.call("POST", "/_sandbox/reset-counts", key: nil).status == 200)
        #expect(fixture.immich.requestCounts().isEmpty)

        let configured = try await fixture.call("POST", "/_sandbox/config", ["version": "3.2.0", "latencyMs": 1], key: nil)
        #expect(configured.json?["version"] == "3.2.0")
        #expect(try await fixture.call("GET", "/api/server/version", key: nil).json?["major"] == 3)
    }
}
