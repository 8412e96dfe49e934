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
            POST /_sandbox/reset-counts, POST /_sandbox/config, GET /_sandbox/idle. The fake iCloud's: GET /_sandbox/counts, \
            POST /_sandbox/reset-counts, POST /_sandbox/latency?ms=N, and POST /_sandbox/library with one action a JSON body, as \
            a user would in Photos: {"action":"favorite","index":N,"favorite":BOOL}, {"action":"deletePhoto","index":N}, \
            {"action":"addPhotos","count":N}, {"action":"createFolder","name":S,"folder":ID?}, \
            {"action":"createAlbum","name":S,"folder":ID?,"members":[N…]} (both answer {"id":ID}), \
            {"action":"addToAlbum"|"removeFromAlbum","album":ID,"index":N}, {"action":"renameAlbum","album":ID,"name":S}, \
            {"action":"deleteAlbum","album":ID,"purge":BOOL}; GET /_sandbox/library lists the albums and their members \
            (photo indices, 0 the oldest). With --tls-cert-out both servers \
            speak HTTPS only, their URLs start with https://, and the JSON line names the certificate file as "caFile".
            """,
        options: SandboxOptions.all,
        examples: [
            ("photos-sandbox --import-path /tmp/photos --latency-ms 5", "A fake Immich whose library scans /tmp/photos."),
            ("photos-sandbox --icloud --tls-cert-out /tmp/sandbox-ca.pem", "Both fakes over HTTPS; clients trust /tmp/sandbox-ca.pem (curl --cacert)."),
        ])

    public static func run(_ arguments: ParsedArguments) async throws -> ExitCode {
        typealias Options = SandboxOptions
        var config = SandboxImmich.Config()
        config.version = try arguments[Options.immichVersion]
        config.apiKey = try arguments[Options.apiKey]
        config.importPaths = try arguments[Options.importPath]
        config.latencyMs = Int(try arguments[Options.latencyMs])
        config.scanDurationMs = Int(try arguments[Options.scanDurationMs])
        config.failRate = try arguments[Options.failRate]
        config.dropRate = try arguments[Options.dropRate]
        config.seed = try arguments[Options.seed]
        config.autoLinkLivePhotos = arguments[Options.autoLinkLive]
        let port = try arguments[Options.port]
        let certificatePath = arguments[Options.tlsCertOut]
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
        if arguments[Options.verbose] { immich.setRequestLogger { Log.shared.emit("photos-sandbox: \($0)") } }
        do { try immich.start(port: port, tls: tls) } catch { throw ToolError.runtime("cannot start the fake Immich: \(error)") }
        var icloudConfig = SandboxICloud.Config()
        icloudConfig.recordRanges = false  // a long-running server keeps no per-request log
        icloudConfig.library.count = Int(try arguments[Options.icloudPhotos])
        icloudConfig.latencyMs = Int(try arguments[Options.icloudLatencyMs])
        icloudConfig.library.sizeScale = try arguments[Options.icloudSizeScale]
        icloudConfig.library.importableNames = arguments[Options.icloudImportableNames]
        if arguments[Options.icloudNo2FA] { icloudConfig.accounts[0].twoFactor = false }
        let icloud = arguments[Options.icloud] ? SandboxICloud(config: icloudConfig) : nil
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

        await waitForShutdown(stdinEOF: arguments[Options.exitOnStdinEOF])
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
