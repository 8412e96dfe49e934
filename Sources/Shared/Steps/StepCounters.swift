/// The counters a step reports at end of input as one `{"type":"stats","stage":…}` line,
/// which `immich-batch --commit` sums into its summary. Keys keep their declared order.
public struct StepCounters: Sendable {
    public let step: ImmichStep
    private var values: JSONObject

    public init(step: ImmichStep, keys: [String]) {
        self.step = step
        values = JSONObject(keys.map { ($0, JSON.int(0)) })
    }

    public subscript(key: String) -> Int {
        get { values[key]?.intValue ?? 0 }
        set { values[key] = .int(newValue) }
    }

    public var line: JSON {
        var object: JSONObject = ["type": "stats", "stage": .string(step.command)]
        for (key, value) in values { object[key] = value }
        return .object(object)
    }

    public var sentence: String {
        values.members.map { "\($0.value.serialized) \($0.key)" }.joined(separator: ", ")
    }
}
