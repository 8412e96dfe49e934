import Foundation
import Testing
@testable import Shared

/// `adjustmentSimpleDataEnc` → `tiff:Orientation`. The vectors in
/// Fixtures/adjustment_orientation.json carry what icloudpd 1.32.2's own `build_metadata` and
/// `generate_xml` made of each value under CPython ("failed": it raised).
@Suite struct AdjustmentOrientationTests {
    struct Vector: Decodable {
        var name: String
        var value: String
        var expected: String
        var ours: String?
    }

    struct Vectors: Decodable { var cases: [Vector] }

    static func vectors() throws -> [Vector] {
        try JSONDecoder().decode(Vectors.self, from: Fixture.data("adjustment_orientation")).cases
    }

    static func label(_ outcome: AdjustmentOrientation.Outcome) -> String {
        switch outcome {
        case .notJSON: return "notJSON"
        case .noOrientation: return "noOrientation"
        case .orientation(let text): return "orientation:" + text
        case .failed: return "failed"
        }
    }

    /// What the sidecar gets: the element's text, or "none" (icloudpd's "failed", "notJSON" and
    /// "noOrientation" all leave the element out).
    static func element(_ label: String) -> String { label.hasPrefix("orientation:") ? label : "none" }

    @Test func matchesIcloudpdOnEveryVector() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count > 80)
        #expect(vectors.filter { $0.ours == nil }.count > 60, "most vectors are icloudpd's own result")
        for vector in vectors {
            let got = Self.element(Self.label(AdjustmentOrientation.decode(vector.value)))
            #expect(got == vector.ours ?? Self.element(vector.expected), "\(vector.name)")
        }
    }

    @Test func plainValues() {
        // {"metadata":{"orientation":6}} and {"metadata":{"orientation":8}}, raw-deflated.
        #expect(AdjustmentOrientation.decode("q1bKTS1JTEksSVSyqlbKL8pMzStJLMnMz1OyMqutBQA=") == .orientation("6"))
        #expect(AdjustmentOrientation.decode("q1bKTS1JTEksSVSyqlbKL8pMzStJLMnMz1OysqitBQA=") == .orientation("8"))
        // Prefixes: not looked into, whatever follows.
        #expect(AdjustmentOrientation.decode("Y3JkdAEAAAA=") == .notJSON)
        #expect(AdjustmentOrientation.decode("YnBsaXN0MDDRAQJfEBA=") == .notJSON)
    }

    /// Where icloudpd raises (its run stops), we report why and write no element.
    @Test func failuresSayWhy() {
        guard case .failed(let base64) = AdjustmentOrientation.decode("QQ") else { Issue.record("QQ"); return }
        #expect(base64.contains("Incorrect padding"))
        guard case .failed(let inflate) = AdjustmentOrientation.decode("////////") else { Issue.record("////////"); return }
        #expect(inflate.hasPrefix("inflate:"))
        // {"metadata":7}: `"orientation" in 7` raises TypeError.
        guard case .failed(let shape) = AdjustmentOrientation.decode("q1bKTS1JTEksSVSyMq8FAA==") else { Issue.record("shape"); return }
        #expect(shape.contains("not a JSON object"))
    }

    @Test func fieldWithoutStringValueFails() throws {
        var asset = try Fixture.asset("AY6cJpeg2")
        #expect(AdjustmentOrientation.outcome(asset) == nil)
        asset.asset.fields["adjustmentSimpleDataEnc"] = CloudKitField(value: .int(6), type: "INT64")
        #expect(AdjustmentOrientation.outcome(asset) == .failed("adjustmentSimpleDataEnc has no string value"))
        #expect(AdjustmentOrientation.text(asset) == nil)
    }
}
