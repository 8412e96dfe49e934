/// A size selector given to a step (`adjusted,medium`), or every still size when absent. Selection
/// follows docs/design.md#sizes-and-selection: a key matches the file served for that requested
/// size, so a fallback entry (`adjusted` of an unedited photo pointing at the original) is selected
/// through its key; `live` entries are never selected; two keys sharing an asset count once.
public struct SizeList: Sendable, Equatable, CustomStringConvertible {
    /// nil = every still size the record has, in the record's order.
    public let sizes: [String]?

    public static let all = SizeList(sizes: nil)

    public init(sizes: [String]?) { self.sizes = sizes }

    /// Parses `a,b,c`; `what` names the option or rule in messages.
    public static func parse(_ text: String?, what: String) throws(ToolError) -> SizeList {
        guard let text else { return .all }
        var sizes: [String] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let size = part.trimmingCharacters(in: .whitespaces)
            guard !size.isEmpty else { throw ToolError.usage("\(what): empty size name in '\(text)'") }
            guard PhotoRecord.stillSizes.contains(size) else {
                throw ToolError.usage("\(what): unknown size '\(size)' in '\(text)' (expected \(PhotoRecord.stillSizes.joined(separator: ", ")))")
            }
            if !sizes.contains(size) { sizes.append(size) }
        }
        return SizeList(sizes: sizes)
    }

    /// `--name [SIZES]` (nil when given bare: every size).
    static func parse(option text: String?, name: String) throws(ToolError) -> SizeList { try parse(text, what: "--\(name)") }

    public var description: String { sizes?.joined(separator: ",") ?? "all sizes" }

    /// One chosen still: the size key it was selected by and its asset.
    public struct Choice: Sendable, Equatable {
        public let size: String
        public let asset: String
    }

    /// The record's chosen assets under `files`, in list order (record order for `all`), each
    /// asset once; keys without an asset id are left out. Videos (an iCloud video's own files) are
    /// left out unless `includeVideos`: they are never stacked or given a live video, but a
    /// favourite video is a favourite and a video belongs in its month's album.
    public func choose(from record: PhotoRecord, order: [String]? = nil, includeVideos: Bool = false) -> [Choice] {
        let present = record.fileRefs.filter { $0.group == .files }.map(\.size)
        let keys = (sizes ?? order ?? present).filter(present.contains)
        var seen = Set<String>()
        var chosen: [Choice] = []
        for size in keys {
            let ref = PhotoRecord.FileRef(group: .files, size: size)
            guard let asset = record.asset(ref), !asset.isEmpty else { continue }
            if !includeVideos, let path = record.path(ref), AssetLookup.isVideo(path) { continue }
            if seen.insert(asset).inserted { chosen.append(Choice(size: size, asset: asset)) }
        }
        return chosen
    }

    /// Every still asset of the record (any size), for "is this one of the photo's assets".
    public static func stillAssets(of record: PhotoRecord) -> Set<String> {
        Set(record.fileRefs.filter { $0.group == .files }.compactMap { record.asset($0) })
    }
}
