/// What fault injection decided for one `/api` request, before any handler runs.
enum FaultDecision: Equatable {
    case none
    /// Close the connection without answering.
    case drop
    /// Answer with this 5xx status and an Immich-shaped body.
    case fail(Int)

    /// Always draws the same number of values so the sequence depends only on its seed and the request count.
    static func decide(_ random: inout SeededRandom, dropRate: Double, failRate: Double) -> FaultDecision {
        let dropRoll = random.unit(), failRoll = random.unit(), statusRoll = random.next()
        if dropRoll < dropRate { return .drop }
        if failRoll < failRate { return .fail([500, 502, 503][Int(statusRoll % 3)]) }
        return .none
    }
}
