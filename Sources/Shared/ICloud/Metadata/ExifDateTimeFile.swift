#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// `--set-exif-datetime` on a downloaded `.part` before its final rename, so the final name
/// only ever holds the complete file: edit into `<part>.exif`, then rename it over the `.part`.
/// Errors and unexpected structures are logged at debug and leave the file as it was (icloudpd
/// logs and ignores them too).
public struct ExifDateTimeRequest: Sendable, Equatable {
    /// `YYYY:MM:DD HH:MM:SS`, the asset date in the local zone (as icloudpd).
    public var dateTime: String
    /// `--metadata-overwrite`: replace an existing DateTimeOriginal too.
    public var overwrite: Bool

    public init(dateTime: String, overwrite: Bool) {
        self.dateTime = dateTime
        self.overwrite = overwrite
    }

    /// icloudpd's rule: only files whose name ends in .jpg/.jpeg (any case).
    public static func applies(to path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg")
    }

    public static func localDateTime(_ date: Date, zone: any ZoneRule) -> String {
        Strftime.format("%Y:%m:%d %H:%M:%S", LocalDateTime(date: date, zone: zone))
    }

    /// Edits `path` in place (atomically); `label` names the file in log lines.
    public func apply(to path: String, label: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            Log.debug("Set EXIF date: cannot read \(label)")
            return
        }
        switch ExifDateTime.set(dateTime, in: Array(data), overwrite: overwrite) {
        case .alreadySet: return
        case .unexpected(let reason):
            Log.debug("Set EXIF date: \(label) left as is: \(reason)")
        case .updated(let bytes):
            let temp = path + ".exif"
            guard FileManager.default.createFile(atPath: temp, contents: Data(bytes)) else {
                Log.debug("Set EXIF date: cannot write \(temp)")
                return
            }
            if rename(temp, path) != 0 {
                Log.debug("Set EXIF date: cannot replace \(label): \(String(cString: strerror(errno)))")
                unlink(temp)
            } else {
                Log.debug("Set EXIF DateTimeOriginal \(dateTime) in \(label)")
            }
        }
    }
}
