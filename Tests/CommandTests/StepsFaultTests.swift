import Foundation
import Sandbox
import Shared
import Testing

/// One response in ten fails (5xx or a dropped connection): the whole pipeline, journal
/// included, still ends in the exact state, with nothing left pending.
@Suite(.serialized) struct StepsFaultTests {
    @Test(arguments: ["2.5.6", "3.2.0"], [7, 11] as [UInt64])
    func faultyServerStillEndsExact(version: String, seed: UInt64) async throws {
        let world = try StepsWorld(version: version) { config in
            config.autoLinkLivePhotos = true
            config.failRate = 0.05
            config.dropRate = 0.05
            config.seed = seed
        }
        let journal = world.root.deletingLastPathComponent().appendingPathComponent("journal-\(UUID().uuidString).ndjson").path
        defer { for suffix in ["", ".lock", ".failed", ".rejected"] { try? FileManager.default.removeItem(atPath: journal + suffix) } }
        let input = try StepsPipelineTests.input(world).split(separator: "\n").filter { !$0.contains(#""type":"batch""#) }.joined(separator: "\n") + "\n"
        let stages = [("immich-batch", ["2", "--log", journal])] + StepsPipelineTests.steps() + [("immich-batch", ["--commit", "--log", journal])]

        var pending = -1
        var runs = 0
        while pending != 0 && runs < 8 {
            runs += 1
            let result = try await runPipeline(stages, input: runs == 1 ? input : "", environment: world.environment)
            #expect(result.statuses.allSatisfy { $0 == 0 || $0 == 5 }, "run \(runs): \(result.statuses) \(result.stderr)")
            pending = result.lines.last { $0["type"] == "summary" }?["pending"]?.intValue ?? -1
        }
        #expect(pending == 0, "still pending after \(runs) runs")
        world.immich.setConfig { $0.failRate = 0; $0.dropRate = 0 }
        try StepsPipelineTests.expectExactState(world)
    }
}
