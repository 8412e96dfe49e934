/// What one photo's stack needs, decided from the stacks its assets are in now (docs/design.md#stacks):
/// nothing when one stack already holds every chosen asset under a primary that is one of
/// the photo's assets; a new primary when that one stack has a foreign primary; otherwise one
/// `POST /stacks`, whose first id is the primary — an existing stack's primary is kept when it
/// is one of the photo's assets (the user may have picked it), and Immich merges the stacks
/// whose primary is listed, so missing members join without a second stack.
public enum StackPlan: Sendable, Equatable {
    case unchanged(stackId: String)
    case setPrimary(stackId: String, primary: String)
    case create(assetIds: [String])

    public struct Existing: Sendable, Equatable {
        public let id: String
        public let primary: String
        public let members: [String]
        public init(id: String, primary: String, members: [String]) {
            self.id = id
            self.primary = primary
            self.members = members
        }
    }

    /// `desired`: chosen assets, our primary first. `photoAssets`: every still asset of the photo.
    public static func decide(desired: [String], photoAssets: Set<String>, stackOf: (String) -> Existing?) -> StackPlan {
        var stacks: [Existing] = []
        for asset in desired {
            if let stack = stackOf(asset), !stacks.contains(where: { $0.id == stack.id }) { stacks.append(stack) }
        }
        if stacks.count == 1, let stack = stacks.first, Set(desired).isSubset(of: stack.members) {
            if photoAssets.contains(stack.primary) { return .unchanged(stackId: stack.id) }
            return .setPrimary(stackId: stack.id, primary: desired[0])
        }
        let primary: String
        if stacks.contains(where: { $0.primary == desired[0] }) {
            primary = desired[0]
        } else if let kept = stacks.first(where: { photoAssets.contains($0.primary) }) {
            primary = kept.primary
        } else {
            primary = desired[0]
        }
        return .create(assetIds: [primary] + desired.filter { $0 != primary })
    }
}
