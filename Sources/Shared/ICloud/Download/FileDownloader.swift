#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Downloads one file as icloudpd does (docs/references.md#icloudpd-downloads): into `<base32(checksum)>.part` in the
/// target folder, resuming a leftover `.part` with `Range: bytes=N-`, then fsync, rename to the
/// final name, and set mtime/atime to the asset date. The body streams straight into the
/// `.part`; retries (which resume from the bytes already there) live in `HTTPClient.download`.
/// A job with `deferPublish` stops before the rename: its photo's record is journaled first.
public struct FileDownloader: Sendable {
    public let client: HTTPClient
    /// Origin/Referer/User-Agent (and the session's cookies) sent with every GET.
    public let headers: [String: String]

    public init(client: HTTPClient, headers: [String: String]) {
        self.client = client
        self.headers = headers
    }

    /// Tries per request: a file survives a few 5xx/429/dropped connections in a row.
    static let attempts = 6

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public func fetch(_ job: FileJob) async throws(Failure) {
        let directory = (job.path as NSString).deletingLastPathComponent
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw Failure(description: "Could not create folder \(directory)")
        }
        guard let url = Self.url(job.version.url) else { throw Failure(description: "bad download URL for \(job.label)") }
        var restarted = false
        while true {
            let offset = Self.fileSize(job.partPath) ?? 0
            var request = HTTPRequest(method: "GET", url: url, headers: headers, timeout: 30)
            request.maxAttempts = Self.attempts
            let response: HTTPResponse
            do { response = try await client.download(request, into: job.partPath, resume: true) } catch {
                throw Failure(description: "Could not download \(job.label): \(error)")
            }
            switch response.status {
            case 200, 206:
                break
            case 416 where offset > 0 && !restarted:
                // The .part is complete (or belongs to other bytes): check its size below, else start over.
                if offset != job.version.size {
                    unlink(job.partPath)
                    restarted = true
                    continue
                }
            default:
                throw Failure(description: "Could not find URL to download \(job.label) (HTTP \(response.status))")
            }
            break
        }
        try await Self.blocking { () throws(Failure) in
            try Self.stage(job)
            if !job.deferPublish { try Self.publish(job) }
        }
    }

    /// Size check, EXIF date, fsync: the `.part` holds the whole file, durably.
    static func stage(_ job: FileJob) throws(Failure) {
        let size = fileSize(job.partPath) ?? -1
        if job.version.size > 0 && size != job.version.size {
            if size > job.version.size { unlink(job.partPath) }
            throw Failure(description: "Downloaded \(size) bytes of \(job.version.size) for \(job.label)")
        }
        job.exif?.apply(to: job.partPath, label: job.label)
        try sync(job.partPath)
    }

    /// The final name and the mtime.
    public static func publish(_ job: FileJob) throws(Failure) {
        guard rename(job.partPath, job.path) == 0 else {
            throw Failure(description: "IOError while writing file to \(job.path): \(String(cString: strerror(errno)))")
        }
        setTimes(job.path, job.mtime)
    }

    /// Runs blocking file work (EXIF dates, fsync, rename) on a Dispatch thread: the cooperative pool has
    /// only as many threads as cores, and an fsync there stalls every download.
    static func blocking(_ work: @escaping @Sendable () throws(Failure) -> Void) async throws(Failure) {
        let result: Result<Void, Failure> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(Failure) { try work(); continuation.resume(returning: .success(())) } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        try result.get()
    }

    /// The URL as given; characters URL parsing refuses (Apple's literal `${f}`) are escaped.
    static func url(_ text: String) -> URL? {
        if let url = URL(string: text) { return url }
        let escaped = text.replacingOccurrences(of: "{", with: "%7B").replacingOccurrences(of: "}", with: "%7D")
            .replacingOccurrences(of: " ", with: "%20")
        return URL(string: escaped)
    }

    static func fileSize(_ path: String) -> Int64? {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : nil
    }

    /// fsync before the rename: a crash leaves the old state or the whole file, never a torn one.
    static func sync(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        _ = fsync(fd)
    }

    /// atime and mtime to the asset date, whole seconds (icloudpd).
    public static func setTimes(_ path: String, _ date: Date) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var times = [timeval(tv_sec: seconds, tv_usec: 0), timeval(tv_sec: seconds, tv_usec: 0)]
        _ = utimes(path, &times)
    }
}
