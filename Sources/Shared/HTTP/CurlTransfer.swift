#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CCurl
import Foundation
import Synchronization

/// Where a response body goes: memory, or straight into a file (a download's `.part`).
enum ResponseBodySink: Sendable {
    case memory
    /// 200 replaces the file's content, 206 writes at the `Content-Range` start; any other
    /// status leaves the file alone (its body, an error page, is kept in memory instead).
    case file(path: String)
}

/// How one transfer ended, as the event loop saw it.
enum TransferOutcome: Sendable {
    case response(HTTPResponse)
    case failure(HTTPError)
}

/// One request on one libcurl easy handle. Everything but `requestCancel` runs on the event
/// loop's thread (the callbacks included), which is why the mutable state needs no lock.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    let sink: ResponseBodySink
    let attempt: Int
    private let options: TransferOptions
    private let completion: @Sendable (TransferOutcome) -> Void

    private(set) var handle: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// The request body, pinned for curl (which reads it in place until the transfer ends).
    private var body: UnsafeMutableRawBufferPointer?
    private var headers: [String: String] = [:]
    private var memory: [UInt8] = []
    private var file = FileBody()
    private var finished = false
    private let cancelFlag = Atomic<Bool>(false)

    struct TransferOptions: Sendable {
        var connectTimeout: TimeInterval
        var stallTimeout: TimeInterval
        var followRedirects: Bool
        var caFile: String?
        var userAgent: String
    }

    init(request: HTTPRequest, sink: ResponseBodySink, attempt: Int, options: TransferOptions,
         completion: @escaping @Sendable (TransferOutcome) -> Void) {
        self.request = request
        self.sink = sink
        self.attempt = attempt
        self.options = options
        self.completion = completion
    }

    deinit { release() }

    var isCancelRequested: Bool { cancelFlag.load(ordering: .acquiring) }
    /// Any thread: asks the loop to stop this transfer.
    func requestCancel() { cancelFlag.store(true, ordering: .releasing) }

    /// Makes the easy handle; nil (and the transfer finished with an error) when curl refuses.
    func makeHandle() -> UnsafeMutableRawPointer? {
        guard let easy = curl_easy_init() else {
            finish(.failure(.transport(url: request.url, reason: "libcurl could not make a handle")))
            return nil
        }
        handle = easy
        let me = Unmanaged.passUnretained(self).toOpaque()
        var ok = true
        func set(_ option: CURLoption, _ value: Int) { ok = ok && ccurl_easy_setopt_long(easy, option, value) == CURLE_OK }
        func set(_ option: CURLoption, _ value: String) { ok = ok && ccurl_easy_setopt_string(easy, option, value) == CURLE_OK }

        set(CURLOPT_URL, request.url.absoluteString)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        set(CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        // The stall detector: fewer than 1 byte/s over the window fails the transfer (error 28),
        // however long the whole transfer takes.
        let stall = max(1, Int((request.timeout ?? options.stallTimeout).rounded(.up)))
        set(CURLOPT_LOW_SPEED_LIMIT, 1)
        set(CURLOPT_LOW_SPEED_TIME, stall)
        set(CURLOPT_FOLLOWLOCATION, options.followRedirects ? 1 : 0)
        set(CURLOPT_MAXREDIRS, 10)
        if let caFile = options.caFile { set(CURLOPT_CAINFO, caFile) }
        if case .memory = sink { set(CURLOPT_ACCEPT_ENCODING, "") }
        ok = ok && ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, me) == CURLE_OK
        ok = ok && ccurl_easy_setopt_write_function(easy, CURLOPT_WRITEFUNCTION, curlWriteBody) == CURLE_OK
        ok = ok && ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me) == CURLE_OK
        ok = ok && ccurl_easy_setopt_write_function(easy, CURLOPT_HEADERFUNCTION, curlWriteHeader) == CURLE_OK
        ok = ok && ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me) == CURLE_OK

        let method = request.method.uppercased()
        if let data = request.body {
            // The whole body from memory: curl never calls back for it, so it cannot pause.
            let pinned = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, data.count), alignment: 1)
            data.copyBytes(to: pinned)
            body = pinned
            ok = ok && ccurl_easy_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(data.count)) == CURLE_OK
            ok = ok && ccurl_easy_setopt_pointer(easy, CURLOPT_POSTFIELDS, pinned.baseAddress) == CURLE_OK
            if method != "POST" { set(CURLOPT_CUSTOMREQUEST, method) }
        } else if method == "HEAD" {
            set(CURLOPT_NOBODY, 1)
        } else if method != "GET" {
            set(CURLOPT_CUSTOMREQUEST, method)
        }

        var names = Set<String>()
        for (name, value) in request.headers {
            names.insert(name.lowercased())
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        if request.body != nil && !names.contains("content-type") {
            headerList = curl_slist_append(headerList, "Content-Type: application/json")
        }
        if !names.contains("user-agent") { headerList = curl_slist_append(headerList, "User-Agent: \(options.userAgent)") }
        // No `Expect: 100-continue` wait before bodies over 1 KiB (a second lost per request to
        // servers that never answer it).
        headerList = curl_slist_append(headerList, "Expect:")
        ok = ok && ccurl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList) == CURLE_OK

        guard ok else {
            finish(.failure(.transport(url: request.url, reason: "libcurl refused an option")))
            return nil
        }
        return easy
    }

    // MARK: callbacks (loop thread)

    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) {
        guard let raw = String(bytes: line, encoding: .utf8) ?? String(bytes: line, encoding: .isoLatin1) else { return }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("HTTP/") {
            // A new response (after a redirect or a 100 Continue): only the last one's headers count.
            headers = [:]
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        // Repeated headers fold with ", " (Set-Cookie included; the cookie jar splits them).
        if let existing = headers[name] { headers[name] = existing + ", " + value } else { headers[name] = value }
    }

    /// Bytes written, or a different count to make curl abort (a failed write to disk).
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard case .file(let path) = sink else {
            memory.append(contentsOf: bytes)
            return bytes.count
        }
        let status = responseCode()
        guard status == 200 || status == 206 else {
            // An error page: small, kept for the message.
            if memory.count < 65_536 { memory.append(contentsOf: bytes.prefix(65_536 - memory.count)) }
            return bytes.count
        }
        do {
            try file.write(bytes, to: path, status: status, contentRange: headers["content-range"])
            return bytes.count
        } catch {
            file.failure = error
            return 0
        }
    }

    // MARK: completion (loop thread)

    /// Called by the loop when curl reports the transfer done.
    func complete(_ code: CURLcode) {
        guard let easy = handle else { return }
        if code == CURLE_OK {
            let status = responseCode()
            if case .file(let path) = sink, status == 200 {
                // A 200 with an empty body still replaces whatever the file held.
                do { try file.finishEmptyReplacement(path: path) } catch { return finish(.failure(error)) }
            }
            file.close()
            var effective: UnsafeMutablePointer<CChar>?
            _ = ccurl_easy_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
            let url = effective.flatMap { URL(string: String(cString: $0)) } ?? request.url
            var version = 0
            _ = ccurl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
            let versionName = [Int(CURL_HTTP_VERSION_1_0): "1.0", Int(CURL_HTTP_VERSION_2_0): "2", Int(CURL_HTTP_VERSION_3): "3"][version] ?? "1.1"
            finish(.response(HTTPResponse(status: status, headers: headers, body: Data(memory), url: url, attempts: attempt,
                                          httpVersion: versionName)))
            return
        }
        file.close()
        if let failure = file.failure { return finish(.failure(failure)) }
        finish(.failure(describe(code)))
    }

    func finish(_ outcome: TransferOutcome) {
        guard !finished else { return }
        finished = true
        completion(outcome)
    }

    /// Frees curl's handle and lists; the loop removes the handle from the multi handle first.
    func release() {
        file.close()
        if let easy = handle { curl_easy_cleanup(easy); handle = nil }
        if let list = headerList { curl_slist_free_all(list); headerList = nil }
        if let pinned = body { pinned.deallocate(); body = nil }
    }

    private func responseCode() -> Int {
        var code = 0
        if let easy = handle { _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code) }
        return code
    }

    private func describe(_ code: CURLcode) -> HTTPError {
        let host = request.url.host ?? "?"
        switch code {
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS:
            return .tls(host: host, reason: String(cString: curl_easy_strerror(code)))
        case CURLE_OPERATION_TIMEDOUT:
            return .transport(url: request.url, reason: "stalled: nothing moved for \(Int((request.timeout ?? options.stallTimeout).rounded(.up))) s")
        case CURLE_COULDNT_CONNECT: return .transport(url: request.url, reason: "connection refused")
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .transport(url: request.url, reason: "host not found")
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .transport(url: request.url, reason: "connection lost (\(String(cString: curl_easy_strerror(code))))")
        case CURLE_SSL_CONNECT_ERROR: return .transport(url: request.url, reason: "TLS handshake failed")
        default: return .transport(url: request.url, reason: String(cString: curl_easy_strerror(code)))
        }
    }
}

/// The file a download streams into: opened on its first byte, positioned by the status.
private struct FileBody {
    var descriptor: Int32 = -1
    var position: Int64 = 0
    var failure: HTTPError?

    mutating func write(_ bytes: UnsafeRawBufferPointer, to path: String, status: Int, contentRange: String?) throws(HTTPError) {
        if descriptor < 0 {
            descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
            if status == 200 {
                guard ftruncate(descriptor, 0) == 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
                position = 0
            } else {
                // 206: the server says where its bytes go ("bytes START-END/TOTAL").
                position = contentRange.flatMap(Self.rangeStart) ?? Self.size(descriptor)
            }
        }
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(position))
            if n < 0 {
                if errno == EINTR { continue }
                throw .file(path: path, reason: String(cString: strerror(errno)))
            }
            done += n
            position += Int64(n)
        }
    }

    mutating func finishEmptyReplacement(path: String) throws(HTTPError) {
        guard descriptor < 0 else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
        Glibc.close(fd)
    }

    mutating func close() {
        if descriptor >= 0 { Glibc.close(descriptor); descriptor = -1 }
    }

    static func rangeStart(_ header: String) -> Int64? {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes ") else { return nil }
        let range = text.dropFirst(6)
        guard let dash = range.firstIndex(of: "-") else { return nil }
        return Int64(range[..<dash].trimmingCharacters(in: .whitespaces))
    }

    static func size(_ fd: Int32) -> Int64 {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
    }
}

private let curlWriteBody: curl_write_callback = { pointer, size, count, context in
    guard let pointer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: pointer, count: size * count))
}

private let curlWriteHeader: curl_write_callback = { pointer, size, count, context in
    guard let pointer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.receiveHeader(UnsafeRawBufferPointer(start: pointer, count: size * count))
    return size * count
}
