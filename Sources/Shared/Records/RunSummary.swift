/// What one pipeline run did, gathered by `immich-batch --commit` from the records and from the
/// `{"type":"stats"}` lines each step writes at the end of its input.
public struct RunSummary: Sendable {
    public var photos = 0
    public var downloaded = 0
    public var existing = 0
    /// Photos deleted in iCloud: neither downloaded nor existing, and their assets not "registered".
    public var deleted = 0
    public var filesRegistered = 0
    public var recordsWithErrors = 0
    public var pending = 0
    /// Numeric counters per step, summed over stats lines.
    public var steps: [(stage: String, counters: JSONObject)] = []

    public init() {}

    public mutating func add(_ record: PhotoRecord) {
        photos += 1
        if record.hasErrors { recordsWithErrors += 1 }
        if record.isDeleted {
            deleted += 1
            return
        }
        let statuses = record.fileRefs.compactMap { record.entry($0)?["status"]?.stringValue }
        if statuses.contains("downloaded") { downloaded += 1 } else if !statuses.isEmpty { existing += 1 }
        filesRegistered += record.object["done"]?["scan"]?["assets"]?.intValue ?? 0
    }

    public mutating func addStats(_ line: JSON) {
        guard line["type"]?.stringValue == "stats", let stage = line["stage"]?.stringValue, let object = line.objectValue else { return }
        let index = steps.firstIndex { $0.stage == stage } ?? { steps.append((stage, JSONObject())); return steps.count - 1 }()
        for (key, value) in object where key != "type" && key != "stage" {
            guard let number = value.intValue else { continue }
            steps[index].counters[key] = .int((steps[index].counters[key]?.intValue ?? 0) + number)
        }
    }

    public var json: JSON {
        var object: JSONObject = [
            "type": "summary", "photos": .int(photos), "downloaded": .int(downloaded), "existing": .int(existing),
            "deleted": .int(deleted), "filesRegistered": .int(filesRegistered), "errors": .int(recordsWithErrors), "pending": .int(pending),
        ]
        var stepObject = JSONObject()
        for step in steps { stepObject[step.stage] = .object(step.counters) }
        object["steps"] = .object(stepObject)
        return .object(object)
    }

    public var sentence: String {
        var parts = ["\(photos) photo(s)", "\(filesRegistered) file(s) registered"]
        if deleted > 0 { parts.append("\(deleted) deleted in iCloud") }
        for step in steps {
            let counters = step.counters.members.filter { ($0.value.intValue ?? 0) > 0 }.map { "\($0.key) \($0.value.serialized)" }
            if !counters.isEmpty { parts.append("\(step.stage): \(counters.joined(separator: ", "))") }
        }
        parts.append("\(recordsWithErrors) with errors")
        parts.append("\(pending) pending in the journal")
        return parts.joined(separator: "; ")
    }
}
