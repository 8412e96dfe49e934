/// Puts one error on each affected record once, whatever number of its assets failed.
struct RecordErrors {
    let step: ImmichStep
    private var reported = Set<Int>()
    private(set) var count = 0

    init(step: ImmichStep) { self.step = step }

    mutating func add(_ records: inout [PhotoRecord], _ indexes: some Sequence<Int>, _ message: String) {
        for index in Set(indexes).sorted() {
            records[index].addError(step, message)
            if reported.insert(index).inserted { count += 1 }
        }
    }

    func failed(_ index: Int) -> Bool { reported.contains(index) }

    mutating func startBatch() { reported.removeAll() }
}
