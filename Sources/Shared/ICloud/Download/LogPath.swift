/// icloudpd's `truncate_middle`: paths in log lines are cut to 96 characters.
public enum LogPath {
    public static func truncateMiddle(_ s: String, _ length: Int = 96) -> String {
        let chars = Array(s)
        if chars.count <= length { return s }
        if length <= 3 { return String("...".prefix(length)) }
        var end = length / 2 - 2
        let start = length - end - 4
        if end <= 0 { end = 1 }
        return String(chars[0..<start]) + "..." + String(chars[(chars.count - end)...])
    }
}
