import CZlib
import Foundation

/// `adjustmentSimpleDataEnc` values as iCloud sends them (base64): raw-deflated JSON for
/// simple edits (with `metadata.orientation`, what icloudpd's XMP sidecar reads), a CRDT for
/// markup and a binary plist for video slow-motion ranges (both skipped by icloudpd).
public enum SandboxAdjustmentData {
    /// An edit's JSON, shaped like Photos' (`metadata.orientation` is the EXIF orientation).
    public static func editJSON(orientation: Int) -> String {
        #"{"adjustments":[{"formatVersion":1,"enabled":true,"settings":{"straightenAngle":0,"constraintHeight":0,"constraintWidth":0},"#
            + #""identifier":"Crop","formatIdentifier":"com.apple.photo","auto":false}],"#
            + #""metadata":{"masterWidth":4032,"pipelineVersion":"OSX.4","masterHeight":3024,"orientation":\#(orientation)},"#
            + #""orientation":1,"formatVersion":6,"versionInfo":{"buildNumber":"21A329","appVersion":"21.0","schemaRevision":1,"platform":"iOS"}}"#
    }

    public static func edit(orientation: Int) -> String {
        Data(rawDeflate(Array(editJSON(orientation: orientation).utf8))).base64EncodedString()
    }

    /// Rotated right (EXIF 6) and left (EXIF 8), computed once.
    public static let rotatedRight = edit(orientation: 6)
    public static let rotatedLeft = edit(orientation: 8)

    /// Markup on a screenshot: `crdt` and a binary body (base64 `Y3JkdA…`).
    public static let markup = Data([0x63, 0x72, 0x64, 0x74, 0x01, 0x00, 0x00, 0x00] + Array("sandbox-drawing".utf8)).base64EncodedString()

    /// A video's slow-motion range: a binary plist (base64 `YnBsaXN0MD…`).
    public static let slowMotion: String = {
        let plist: [String: Any] = ["slowMotion": ["rate": 0.25, "timeRange": ["start": 1.5, "duration": 2.0]]]
        let data = (try? PropertyListSerialization.data(fromPropertyList: plist, format: .binary, options: 0)) ?? Data("bplist00".utf8)
        return data.base64EncodedString()
    }()

    /// zlib deflate without header or checksum (windowBits −15), best compression.
    public static func rawDeflate(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        guard czlib_deflate_init_raw(&stream, 9) == Z_OK else { fatalError("deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        var source = input
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        let status = source.withUnsafeMutableBufferPointer { from in
            output.withUnsafeMutableBufferPointer { to in
                stream.next_in = from.baseAddress
                stream.avail_in = uInt(from.count)
                stream.next_out = to.baseAddress
                stream.avail_out = uInt(to.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { fatalError("deflate failed: \(status)") }
        return Array(output[..<Int(stream.total_out)])
    }
}
