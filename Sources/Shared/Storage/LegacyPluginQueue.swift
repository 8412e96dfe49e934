/// Converts one item of the icloudpd Immich plugin's queue file (icloudpd PR #1302)
/// (`[{"photo_id", "files":[{"status","path","size","is_live"}], "is_favorite", "created", "filename"}]`)
/// into a photo record, so switching to these tools loses no pending photo.
enum LegacyPluginQueue {
    static func record(from item: JSON) -> JSON? {
        guard let files = item["files"]?.arrayValue else { return nil }
        var stills = JSONObject()
        var live = JSONObject()
        for file in files {
            guard let path = file["path"]?.stringValue else { continue }
            let size = file["size"]?.stringValue ?? "original"
            let status = file["status"]?.stringValue == "existed" ? "existing" : (file["status"]?.stringValue ?? "downloaded")
            let entry: JSON = ["path": .string(path), "status": .string(status)]
            if file["is_live"]?.boolValue == true { live[size] = entry } else { stills[size] = entry }
        }
        var record: JSONObject = ["type": "photo"]
        if let id = item["photo_id"]?.stringValue { record["id"] = .string(id) }
        if let created = item["created"]?.stringValue { record["created"] = .string(created) }
        record["favorite"] = .bool(item["is_favorite"]?.boolValue ?? false)
        if let filename = item["filename"]?.stringValue { record["filename"] = .string(filename) }
        record["files"] = .object(stills)
        if !live.isEmpty { record["live"] = .object(live) }
        return .object(record)
    }
}
