import CZlib

/// `tiff:Orientation` of the XMP sidecar, from the CPLAsset field `adjustmentSimpleDataEnc`
/// (docs/references.md#icloudpd-metadata; icloudpd 1.32.2 `src/icloudpd/xmp_sidecar.py`, `build_metadata`).
///
/// The field holds one of three things: a binary plist (base64 `YnBsaXN0MD…`, video slow-motion
/// ranges), a CRDT (`Y3JkdA…`, drawings and markup) or raw-deflated JSON (simple edits such as a
/// rotation). icloudpd skips the first two by those prefixes and takes the third as
/// base64 → raw inflate (zlib wbits −15) → `json.loads` → `["metadata"]["orientation"]`,
/// written as `str(value)` when the value is truthy.
///
/// icloudpd does not guard any of those steps: a value that is not base64, not a complete raw
/// deflate stream or not JSON, or JSON whose shape makes `in`/`[…]` raise, stops its whole run
/// with a traceback (the photo's file is downloaded, its sidecar is not written). We write the
/// sidecar without `tiff:Orientation` instead (`.failed`, logged at debug).
public enum AdjustmentOrientation {
    public enum Outcome: Equatable, Sendable {
        /// A binary plist or CRDT (by prefix): icloudpd does not look inside.
        case notJSON
        /// JSON without `metadata.orientation`, or with a falsy one (`0`, `""`, `false`,
        /// `null`, `[]`, `{}`): no element, as icloudpd.
        case noOrientation
        /// The element's text exactly as ElementTree writes `str(value)` (escaped; `6` for an
        /// int, `6.0` for a float, `True`, a string as it is, lists and dicts as Python's repr).
        case orientation(String)
        /// icloudpd 1.32.2 raises here (and its run stops); we leave the element out.
        case failed(String)
    }

    /// Inflated JSON larger than this is refused (`.failed`), so a hostile value cannot take
    /// the memory; an edit's JSON is far smaller. (icloudpd has no limit.)
    public static let maximumInflatedSize = 1 << 20

    /// nil: the asset has no `adjustmentSimpleDataEnc`.
    public static func outcome(_ asset: PhotoAsset) -> Outcome? {
        guard let field = asset.asset.fields["adjustmentSimpleDataEnc"] else { return nil }
        // icloudpd reads `["value"]` and calls `startswith` on it: anything but a string raises.
        guard case .string(let value)? = field.value else { return .failed("adjustmentSimpleDataEnc has no string value") }
        return decode(value)
    }

    /// The element text, nil when there is none.
    public static func text(_ asset: PhotoAsset) -> String? {
        switch outcome(asset) {
        case .orientation(let text)?: return text
        case .failed(let reason)?:
            Log.debug("No tiff:Orientation for \(asset.asset.recordName): adjustmentSimpleDataEnc: \(reason)")
            return nil
        default: return nil
        }
    }

    public static func decode(_ value: String) -> Outcome {
        // `str.startswith`: code points, not Swift's grapheme clusters.
        if value.unicodeScalars.starts(with: "Y3JkdA".unicodeScalars) || value.unicodeScalars.starts(with: "YnBsaXN0MD".unicodeScalars) {
            return .notJSON
        }
        let compressed: [UInt8], json: [UInt8]
        switch base64Decode(value) {
        case .success(let bytes): compressed = bytes
        case .failure(let error): return .failed("base64: \(error.message)")
        }
        switch inflateRaw(compressed, limit: maximumInflatedSize) {
        case .success(let bytes): json = bytes
        case .failure(let error): return .failed("inflate: \(error.message)")
        }
        let adjustments: JSON
        // json.loads(bytes) also reads UTF-16/32; an edit's JSON is UTF-8, at most with a BOM.
        let text = json.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(json.dropFirst(3)) : json
        guard String(validating: text, as: UTF8.self) != nil else { return .failed("JSON: not UTF-8") }
        do { adjustments = try JSON.parse(text) } catch { return .failed("JSON: \(error)") }
        // `"metadata" in adjustments and "orientation" in adjustments["metadata"]`, for the
        // shapes an edit has (objects); other shapes make icloudpd raise or skip, and either
        // way no element is written.
        guard case .object(let top) = adjustments else { return .failed("not a JSON object") }
        guard let metadata = top["metadata"] else { return .noOrientation }
        guard case .object(let members) = metadata else { return .failed("metadata is not a JSON object") }
        guard let orientation = members["orientation"] else { return .noOrientation }
        return pythonStr(orientation).map { .orientation(elementText($0)) } ?? .noOrientation
    }

    /// Python's `str(value)` of a truthy scalar (`6`, `6.0`, `True`, a string); nil for a falsy
    /// one (no element, as icloudpd). Lists and objects: nil (icloudpd would write their repr;
    /// no edit carries one).
    static func pythonStr(_ value: JSON) -> String? {
        switch value {
        case .bool(let b): return b ? "True" : nil
        case .string(let s): return s.isEmpty ? nil : s
        case .number(let text):
            if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
                // An int: Python drops a leading minus of zero and any leading zeros of the value.
                // Python refuses ints of more than 4300 digits (and icloudpd's run stops).
                guard let int = Int(text) else { return text.allSatisfy { $0 == "-" || $0 == "0" } || text.filter(\.isNumber).count > 4300 ? nil : text }
                return int == 0 ? nil : String(int)
            }
            guard let double = Double(text), double != 0 else { return nil }
            return double.description  // shortest round-trip, as Python's repr
        default: return nil
        }
    }

    /// ElementTree's text escaping (`&`, `<`, `>`).
    static func elementText(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    // MARK: the steps

    struct DecodeFailure: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// `base64.b64decode(str)`: the text must be ASCII; then `binascii.a2b_base64` in its
    /// lenient mode: characters outside the alphabet are skipped, a complete pad ends the
    /// data (anything after it is ignored), leftover bits are an error.
    static func base64Decode(_ text: String) -> Result<[UInt8], DecodeFailure> {
        // All of it, even what follows a pad (`str.encode("ascii")` comes first).
        guard text.unicodeScalars.allSatisfy(\.isASCII) else { return .failure(.init("string argument should contain only ASCII characters")) }
        var out: [UInt8] = []
        var quad = 0, pads = 0
        var left: UInt8 = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "=") {
                pads += 1
                if quad >= 2 && quad + pads >= 4 { return .success(out) }
                continue
            }
            let v: UInt8
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = c - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = c - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): v = 62
            case UInt8(ascii: "/"): v = 63
            default: continue
            }
            pads = 0
            switch quad {
            case 0: left = v; quad = 1
            case 1: out.append(left << 2 | v >> 4); left = v & 0x0F; quad = 2
            case 2: out.append(left << 4 | v >> 2); left = v & 0x03; quad = 3
            default: out.append(left << 6 | v); left = 0; quad = 0
            }
        }
        switch quad {
        case 0: return .success(out)
        case 1: return .failure(.init("Invalid base64-encoded string: number of data characters cannot be 1 more than a multiple of 4"))
        default: return .failure(.init("Incorrect padding"))
        }
    }

    /// `zlib.decompress(data, -15)`: a raw deflate stream that must reach its end (bytes after
    /// the end are ignored, as zlib.decompress does); output beyond `limit` bytes fails.
    static func inflateRaw(_ input: [UInt8], limit: Int) -> Result<[UInt8], DecodeFailure> {
        var stream = z_stream()
        guard czlib_inflate_init_raw(&stream) == Z_OK else { return .failure(.init("inflateInit2 failed")) }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        return input.withUnsafeBufferPointer { source -> Result<[UInt8], DecodeFailure> in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                guard output.count + produced <= limit else { return .failure(.init("more than \(limit) bytes")) }
                output += chunk[..<produced]
                switch status {
                case Z_STREAM_END: return .success(output)
                case Z_OK: continue
                case Z_BUF_ERROR: return .failure(.init("incomplete or truncated stream"))
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    return .failure(.init(message))
                }
            }
        }
    }
}
