/// What one listing's download did.
public struct DownloadSummary: Sendable {
    public var photos = 0
    public var filesDownloaded = 0
    public var filesExisting = 0
    public var bytesDownloaded: Int64 = 0
    /// Names of photos with a file that could not be downloaded (retried next run).
    public var failedPhotos: [String] = []
    public var stoppedByUntilFound = false

    public init() {}
}
