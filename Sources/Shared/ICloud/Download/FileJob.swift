import Foundation

/// Which entry of a photo record a file fills.
public enum RecordSlot: Sendable, Hashable {
    case still(AssetVersionSize)
    case live(LivePhotoVersionSize)
}

/// One file to download, fully decided before any concurrent work starts.
public struct FileJob: Sendable {
    /// Sequence number of the photo in this run.
    public var photo: Int
    public var slot: RecordSlot
    public var path: String
    public var partPath: String
    public var version: AssetVersion
    /// The asset date: the file's mtime.
    public var mtime: Date
    /// For messages: the photo's base name and the size.
    public var label: String
    /// `--set-exif-datetime` for this file (a JPEG), applied before the final rename.
    public var exif: ExifDateTimeRequest? = nil
    /// Leave the file as its finished `.part`: `PhotoPublisher` renames it once the photo's
    /// record is journaled (plugin mode), so no file appears that no journal knows of.
    public var deferPublish = false

    /// icloudpd's temp name: base32 of the decoded checksum + `.part`, in the target folder.
    public static func partName(checksum: String) -> String {
        let bytes = Data(base64Encoded: checksum, options: .ignoreUnknownCharacters).map { Array($0) } ?? Array(checksum.utf8)
        return Base32.encode(bytes) + ".part"
    }
}
