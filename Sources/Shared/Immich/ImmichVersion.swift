/// A server version, compared numerically (v3.2.0 > v2.10.1).
public struct ImmichVersion: Sendable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    public init?(_ text: String) {
        let parts = text.trimmingPrefix("v").split(separator: ".").map { Int($0) }
        guard parts.count >= 2, let major = parts[0], let minor = parts[1] else { return nil }
        self.init(major, minor, parts.count > 2 ? (parts[2] ?? 0) : 0)
    }

    public var description: String { "v\(major).\(minor).\(patch)" }

    public static func < (lhs: ImmichVersion, rhs: ImmichVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }
}
