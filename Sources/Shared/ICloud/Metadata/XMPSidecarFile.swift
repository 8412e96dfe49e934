#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Writes a sidecar as icloudpd decides (docs/references.md#icloudpd-metadata): a non-empty sidecar
/// written by some other tool (its `xmptk` does not start with `icloudpd`) is kept, unless
/// `--metadata-overwrite`. The write is atomic (temp file + rename), so a reader or a crash never
/// sees half a sidecar.
public enum XMPSidecarFile {
    public enum Outcome: Equatable, Sendable { case written, unchanged, keptForeign, failed(String) }

    public static func write(_ content: String, to path: String, overwriteForeign: Bool) -> Outcome {
        let existing = FileManager.default.contents(atPath: path)
        if let existing, !existing.isEmpty {
            if existing == Data(content.utf8) { return .unchanged }
            if !overwriteForeign && !writtenByICloudPD(existing) { return .keptForeign }
        }
        let temp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: Data(content.utf8)) else {
            return .failed("cannot write \(temp): \(String(cString: strerror(errno)))")
        }
        // No fsync: sidecars are cheap to rebuild and rewritten on every run (icloudpd's rule).
        guard rename(temp, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temp)
            return .failed("cannot write \(path): \(message)")
        }
        return .written
    }

    /// The root element's `xmptk` attribute starts with `icloudpd` (icloudpd parses the XML;
    /// the attribute sits in the root tag, which is all we look at).
    static func writtenByICloudPD(_ data: Data) -> Bool {
        guard let text = String(data: data, encoding: .utf8) else { return false }
        var rest = Substring(text)
        // Skip the XML declaration and comments to the root start tag.
        while let open = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: open)...]
            if after.hasPrefix("?") || after.hasPrefix("!") {
                guard let close = after.firstIndex(of: ">") else { return false }
                rest = after[after.index(after: close)...]
                continue
            }
            guard let close = after.firstIndex(of: ">") else { return false }
            let tag = after[..<close]
            guard let attr = tag.range(of: "xmptk=") else { return false }
            let value = tag[attr.upperBound...].dropFirst()
            return value.hasPrefix("icloudpd")
        }
        return false
    }
}
