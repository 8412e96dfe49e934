#if canImport(Glibc)
@preconcurrency import Glibc

/// A leak-free replacement for swift-corelibs-foundation's `CFURLSessionCurlHostIsEqual`.
///
/// URLSession on Linux calls that C helper once per request (`_EasyHandle.set(url:)`) to check
/// that libcurl parses the same host as `URL`. It frees its `CURLU` handle with `curl_free`
/// instead of `curl_url_cleanup`, so the parsed URL's parts (scheme, host, path, query: about
/// 100 bytes) leak on every request, and the handle itself when parsing fails (Swift 6.3.1,
/// still so upstream). Scattered through the heap, these blocks also keep freed memory around
/// them from being reused or returned: peak RSS grew with the number of files downloaded
/// (51 → 63 MB from 2,000 to 20,000 photos × 3 sizes). libFoundationNetworking calls the
/// helper through its PLT, and the linker exports a symbol the executable defines that a
/// shared library also defines, so this definition takes its place in every command that links
/// `Shared` (a test checks the lookup finds this one).
@_cdecl("CFURLSessionCurlHostIsEqual")
public func curlHostIsEqual(_ url: UnsafePointer<CChar>, _ expectedHost: UnsafePointer<CChar>) -> Bool {
    CurlHostCheck.host(of: url, equals: expectedHost)
}

enum CurlHostCheck {
    typealias URLNew = @convention(c) () -> OpaquePointer?
    typealias URLCleanup = @convention(c) (OpaquePointer?) -> Void
    typealias URLSet = @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
    typealias URLGet = @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, UInt32) -> Int32
    typealias Free = @convention(c) (UnsafeMutableRawPointer?) -> Void

    // CURLUPart values in <curl/urlapi.h>.
    static let partURL: Int32 = 0
    static let partHost: Int32 = 5

    struct Functions: @unchecked Sendable {
        let new: URLNew
        let cleanup: URLCleanup
        let set: URLSet
        let get: URLGet
        let free: Free
    }

    /// libcurl's URL API, already loaded by FoundationNetworking (which links these same symbols).
    static let functions: Functions? = {
        let handle = dlopen("libcurl.so.4", RTLD_LAZY | RTLD_NOLOAD) ?? dlopen(nil, RTLD_LAZY)
        func symbol<T>(_ name: String, _: T.Type) -> T? {
            dlsym(handle, name).map { unsafeBitCast($0, to: T.self) }
        }
        guard let new = symbol("curl_url", URLNew.self), let cleanup = symbol("curl_url_cleanup", URLCleanup.self),
              let set = symbol("curl_url_set", URLSet.self), let get = symbol("curl_url_get", URLGet.self),
              let free = symbol("curl_free", Free.self) else { return nil }
        return Functions(new: new, cleanup: cleanup, set: set, get: get, free: free)
    }()

    /// Whether libcurl reads `expectedHost` as the host of `url` (Foundation refuses the request
    /// otherwise). Without libcurl's URL API (never the case: FoundationNetworking needs it) the
    /// check passes, as Foundation's own helper does with a libcurl older than 7.62.
    static func host(of url: UnsafePointer<CChar>, equals expectedHost: UnsafePointer<CChar>) -> Bool {
        guard let curl = functions else { return true }
        guard let handle = curl.new() else { return false }
        defer { curl.cleanup(handle) }
        guard curl.set(handle, partURL, url, 0) == 0 else { return false }
        var host: UnsafeMutablePointer<CChar>? = nil
        guard curl.get(handle, partHost, &host, 0) == 0, let host else { return false }
        defer { curl.free(host) }
        return strcmp(host, expectedHost) == 0
    }
}
#endif
