#if canImport(Glibc)
@preconcurrency import Glibc
import Shared
import Testing

/// The replacement of Foundation's leaking `CFURLSessionCurlHostIsEqual` (CurlHostCheck.swift).
@Suite struct CurlHostCheckTests {
    /// URLSession's calls go to our definition, not to the one in libFoundationNetworking.
    @Test func foundationsHelperResolvesToOurs() throws {
        let global = try #require(dlsym(dlopen(nil, RTLD_LAZY), "CFURLSessionCurlHostIsEqual"))
        let networking = try #require(dlopen("libFoundationNetworking.so", RTLD_LAZY | RTLD_NOLOAD))
        let foundations = try #require(dlsym(networking, "CFURLSessionCurlHostIsEqual"))
        #expect(global != foundations)
    }

    @Test(arguments: [
        ("https://cvws.icloud-content.com/B/abc?o=1", "cvws.icloud-content.com", true),
        ("http://127.0.0.1:8080/path", "127.0.0.1", true),
        ("https://user:pw@example.com/", "example.com", true),
        ("https://example.com/", "example.org", false),
        ("https://example.com/", "example.co", false),
        ("not a url", "example.com", false),
    ])
    func comparesTheHostLibcurlParses(_ url: String, _ host: String, _ equal: Bool) {
        #expect(curlHostIsEqual(url, host) == equal)
    }
}
#endif
