// The fake Immich and iCloud servers used by tests and the demo.
public enum SandboxInfo { public static let name = "photos-sandbox" }
