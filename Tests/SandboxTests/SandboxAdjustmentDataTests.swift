import Foundation
import Sandbox
import Shared
import Testing

/// The sandbox library's `adjustmentSimpleDataEnc` values read back as icloudpd reads them.
@Suite struct SandboxAdjustmentDataTests {
    @Test func valuesDecodeAsIcloudpdWouldRead() {
        let library = SandboxPhotoLibrary(count: 32)
        var seen: [SandboxPhotoLibrary.Kind: AdjustmentOrientation.Outcome] = [:]
        for index in 0..<32 {
            let photo = library.photo(index: index)
            guard let value = photo.adjustmentSimpleData else { continue }
            seen[photo.kind] = AdjustmentOrientation.decode(value)
        }
        #expect(seen == [.editedHEIC: .orientation("6"), .editedJPEG: .orientation("8"), .screenshotPNG: .notJSON, .video: .notJSON])
        #expect(SandboxAdjustmentData.markup.hasPrefix("Y3JkdA"))
        #expect(SandboxAdjustmentData.slowMotion.hasPrefix("YnBsaXN0MD"))
    }

    @Test func rawDeflateRoundTrips() {
        let text = Array(SandboxAdjustmentData.editJSON(orientation: 3).utf8)
        let packed = SandboxAdjustmentData.rawDeflate(text)
        #expect(packed.count < text.count)
        #expect(AdjustmentOrientation.decode(Data(packed).base64EncodedString()) == .orientation("3"))
        guard case .failed(let empty) = AdjustmentOrientation.decode(Data(SandboxAdjustmentData.rawDeflate([])).base64EncodedString()) else {
            Issue.record("an empty JSON text must fail")
            return
        }
        #expect(empty.hasPrefix("JSON:"))
    }
}
