#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Shared

/// `photos-sandbox`: runs the fake Immich (and optionally the fake iCloud) on 127.0.0.1 for
/// scripts, demos and benchmarks, and prints one JSON line describing them.
public enum SandboxCommand {
    public static let spec = CommandSpec(
        name: "photos-sandbox",
        summary: "run a fake Immich (and iCloud) on 127.0.0.1 for tests, demos and benchmarks",
        usage: "photos-sandbox [options]",
        discussion: """
            Prints one JSON line ({"immich":URL,"apiKey":…,"libraryId":…,"userId":…,"importPaths":[…]}) and serves \
            until interrupted. Control endpoints (no auth, never faulted): GET /_sandbox/state, GET /_sandbox/counts, \
            POST /_sandbox/reset-counts, POST /_sandbox/config, GET /_sandbox/idle. With --tls-cert-out both servers \
            speak HTTPS only, their URLs start with https://, and the JSON line names the certificate file as "caFile".
            """,
        options: [
            OptionSpec("port", .value, valueName: "N", help: "Port to listen on; 0 picks a free one.", default: "0"),
            OptionSpec("immich-version", .value, valueName: "V", help: "Simulated Immich version, major.minor.patch.", default: "2.5.6"),
            OptionSpec("api-key", .value, valueName: "KEY", help: "API key of the admin user who owns the library.", default: "sandbox-api-key"),
            OptionSpec("import-path", .repeated, valueName: "DIR", help: "Import path of the default external library (absolute).", completion: .directory),
            OptionSpec("latency-ms", .value, valueName: "N", help: "Delay added before every /api response.", default: "0"),
            OptionSpec("scan-duration-ms", .value, valueName: "N", help: "Time a library scan takes before inserting assets.", default: "200"),
            OptionSpec("fail-rate", .value, valueName: "F", help: "Fraction (0…1) of /api requests answered 500/502/503.", default: "0"),
            OptionSpec("drop-rate", .value, valueName: "F", help: "Fraction (0…1) of /api requests dropped without an answer.", default: "0"),
            OptionSpec("seed", .value, valueName: "N", help: "Seed of the fault injection.", default: "1"),
            OptionSpec("auto-link-live", help: "Link .MOV files to same-named images after scans, as metadata extraction does."),
            OptionSpec("icloud", help: "Also run the fake iCloud (sign-in, CloudKit, downloads); its URLs, environment and demo Apple ID go into the JSON line."),
            OptionSpec("icloud-photos", .value, valueName: "N", help: "Photos in the fake iCloud library.", default: "64"),
            OptionSpec("icloud-latency-ms", .value, valueName: "N", help: "Delay added before every fake iCloud answer.", default: "0"),
            OptionSpec("icloud-size-scale", .value, valueName: "F", help: "Multiply the fake library's file sizes.", default: "1"),
            OptionSpec("icloud-no-2fa", help: "The demo Apple ID signs in without a second factor."),
            OptionSpec("tls-cert-out", .value, valueName: "PATH",
                       help: "Serve HTTPS with a fresh self-signed certificate for 127.0.0.1 and localhost, valid for a day; write its PEM to PATH for clients to trust.",
                       completion: .file),
            OptionSpec("exit-on-stdin-eof", help: "Stop when standard input closes."),
            OptionSpec("verbose", short: "v", help: "Log one line per request to stderr."),
        ],
        examples: [
            ("photos-sandbox --import-path /tmp/photos --latency-ms 5", "A fake Immich whose library scans /tmp/photos."),
            ("photos-sandbox --icloud --tls-cert-out /tmp/sandbox-ca.pem", "Both fakes over HTTPS; clients trust /tmp/sandbox-ca.pem (curl --cacert)."),
        ])

    public static func run(_ arguments: ParsedArguments) async throws -> ExitCode {
        var config = SandboxImmich.Config()
        func number<T: LosslessStringConvertible>(_ name: String, _ type: T.Type) throws(ToolError) -> T? {
            guard let text = arguments.value(name) else { return nil }
            guard let value = T(text) else { throw ToolError.usage("invalid --\(name) '\(text)'") }
            return value
        }
        func rate(_ name: String) throws(ToolError) -> Double? {
            guard let value = try number(name, Double.self) else { return nil }
            guard (0...1).contains(value) else { throw ToolError.usage("--\(name) must be between 0 and 1") }
            return value
        }
        if let version = arguments.value("immich-version") {
            guard Shared.ImmichVersion(version) != nil else { throw ToolError.usage("invalid --immich-version '\(version)' (expected major.minor.patch)") }
            config.version = version.hasPrefix("v") ? String(version.dropFirst()) : version
        }
        if let key = arguments.value("api-key") {
            guard !key.isEmpty else { throw ToolError.usage("--api-key must not be empty") }
            config.apiKey = key
        }
        for path in arguments.values("import-path") {
            guard path.hasPrefix("/") else { throw ToolError.usage("--import-path must be absolute: \(path)") }
            config.importPaths.append(path)
        }
        if let value = try number("latency-ms", UInt32.self) { config.latencyMs = Int(value) }
        if let value = try number("scan-duration-ms", UInt32.self) { config.scanDurationMs = Int(value) }
        if let value = try rate("fail-rate") { config.failRate = value }
        if let value = try rate("drop-rate") { config.dropRate = value }
        if let value = try number("seed", UInt64.self) { config.seed = value }
        config.autoLinkLivePhotos = arguments.flag("auto-link-live")
        let port = try number("port", UInt16.self) ?? 0
        let certificatePath = arguments.value("tls-cert-out")
        // Written before the servers start, so the file exists once the JSON line is out.
        let tls = try certificatePath.map { path throws(ToolError) -> TLSIdentity in
            do {
                let identity = try TLSIdentity.selfSigned()
                try identity.writeCertificatePEM(to: path)
                return identity
            } catch {
                throw ToolError.runtime("cannot write the TLS certificate to \(path): \(error)")
            }
        }

        let immich = SandboxImmich(config: config)
        if arguments.flag("verbose") { immich.setRequestLogger { Log.shared.emit("photos-sandbox: \($0)") } }
        do { try immich.start(port: port, tls: tls) } catch { throw ToolError.runtime("cannot start the fake Immich: \(error)") }
        var icloudConfig = SandboxICloud.Config()
        icloudConfig.recordRanges = false  // a long-running server keeps no per-request log
        if let value = try number("icloud-photos", UInt32.self) { icloudConfig.library.count = Int(value) }
        if let value = try number("icloud-latency-ms", UInt32.self) { icloudConfig.latencyMs = Int(value) }
        if let value = try number("icloud-size-scale", Double.self) { icloudConfig.library.sizeScale = value }
        if arguments.flag("icloud-no-2fa") { icloudConfig.accounts[0].twoFactor = false }
        let icloud = arguments.flag("icloud") ? SandboxICloud(config: icloudConfig) : nil
        do { try icloud?.start(tls: tls) } catch { throw ToolError.runtime("cannot start the fake iCloud: \(error)") }

        var announcement: JSONObject = [
            "immich": .string(immich.baseURL), "apiKey": .string(immich.apiKey), "libraryId": .string(immich.libraryId),
            "userId": .string(immich.userId), "importPaths": .array(config.importPaths.map(JSON.string)),
        ]
        if let certificatePath { announcement["caFile"] = .string(certificatePath) }
        if let icloud {
            let demo = icloudConfig
            announcement["icloud"] = [
                "url": .string(icloud.baseURL),
                "environment": .object(JSONObject(icloud.endpointEnvironment.sorted { $0.key < $1.key }.map { ($0.key, JSON.string($0.value)) })),
                "username": .string(demo.accounts[0].username), "password": .string(demo.accounts[0].password), "code": .string(demo.validCode),
            ]
        }
        try LineWriter.standardOutput.writeLine(.object(announcement))

        await waitForShutdown(stdinEOF: arguments.flag("exit-on-stdin-eof"))
        immich.stop()
        icloud?.stop()
        return .ok
    }

    /// Returns on SIGINT/SIGTERM, or when stdin closes if asked to.
    static func waitForShutdown(stdinEOF: Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let once = ResumeOnce(continuation)
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            for number in [SIGINT, SIGTERM] {
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { once.resume() }
                source.resume()
                once.keep(source)  // the sources must live for the whole run
            }
            if stdinEOF {
                Thread.detachNewThread {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    while read(STDIN_FILENO, &buffer, buffer.count) > 0 {}
                    once.resume()
                }
            }
        }
    }
}

/// Resumes a continuation exactly once, whichever event comes first.
private final class ResumeOnce: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    private var retained: [Any] = []

    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }

    func keep(_ object: Any) { lock.withLock { retained.append(object) } }

    func resume() {
        let pending: CheckedContinuation<Void, Never>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        pending?.resume()
    }
}
