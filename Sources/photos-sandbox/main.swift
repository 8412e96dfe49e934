#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import Sandbox

// photos-sandbox: runs the fake Immich on 127.0.0.1 for scripts, demos and benchmarks.
// A tiny hand-written option parser; the shared CLI parser will replace it later.

let usage = """
usage: photos-sandbox [options]

Runs a fake Immich server on 127.0.0.1 and prints one JSON line describing it.

  --port N               port to listen on (default 0 = any free port)
  --immich-version V     simulated Immich version, major.minor.patch (default 2.5.6)
  --api-key K            API key of the admin user (default sandbox-api-key)
  --import-path DIR      import path of the default library (repeatable)
  --latency-ms N         delay added before every /api response
  --scan-duration-ms N   time a library scan takes before inserting assets (default 200)
  --fail-rate F          fraction of /api requests answered 500/502/503 (0…1)
  --drop-rate F          fraction of /api requests dropped without an answer (0…1)
  --seed N               seed for fault injection (default 1)
  --auto-link-live       link .MOV files to same-named images after scans
  --icloud               also run a fake iCloud sign-in (demo Apple ID in the JSON line;
                         point icloudpd at it with the ICLOUDPD_*_ENDPOINT variables shown)
  --icloud-photos N      photos in the fake iCloud library (default 64)
  --icloud-latency-ms N  delay added before every fake iCloud answer
  --icloud-size-scale F  multiply the fake library's file sizes (default 1)
  --icloud-no-2fa        the demo Apple ID signs in without a second factor
  --exit-on-stdin-eof    stop when standard input closes
  --verbose              log one line per request to stderr
  --help                 show this help

Control endpoints (no auth): GET /_sandbox/state, GET /_sandbox/counts,
POST /_sandbox/reset-counts, POST /_sandbox/config, GET /_sandbox/idle.
"""

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("photos-sandbox: \(message)\nTry 'photos-sandbox --help'.\n".utf8))
    exit(2)
}

var config = SandboxImmich.Config()
var port: UInt16 = 0
var exitOnStdinEOF = false
var verbose = false
var withICloud = false
var icloudConfig = SandboxICloud.Config()
icloudConfig.recordRanges = false

var arguments = Array(CommandLine.arguments.dropFirst())[...]
@MainActor func value(for option: String, inline: String?) -> String {
    if let inline { return inline }
    guard let next = arguments.popFirst() else { fail("option \(option) needs a value") }
    return next
}
func number<T: LosslessStringConvertible>(_ text: String, _ option: String, as: T.Type) -> T {
    guard let parsed = T(text) else { fail("invalid value '\(text)' for \(option)") }
    return parsed
}
func rate(_ text: String, _ option: String) -> Double {
    let parsed = number(text, option, as: Double.self)
    guard (0...1).contains(parsed) else { fail("\(option) must be between 0 and 1") }
    return parsed
}

while let argument = arguments.popFirst() {
    var name = argument
    var inline: String?
    if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        inline = String(argument[argument.index(after: equals)...])
    }
    switch name {
    case "--help", "-h":
        print(usage)
        exit(0)
    case "--port": port = number(value(for: name, inline: inline), name, as: UInt16.self)
    case "--immich-version":
        let version = value(for: name, inline: inline)
        let parts = (version.hasPrefix("v") ? String(version.dropFirst()) : version).split(separator: ".")
        guard (2...3).contains(parts.count), parts.allSatisfy({ Int($0) != nil }) else {
            fail("invalid --immich-version '\(version)' (expected major.minor.patch)")
        }
        config.version = version.hasPrefix("v") ? String(version.dropFirst()) : version
    case "--api-key":
        config.apiKey = value(for: name, inline: inline)
        if config.apiKey.isEmpty { fail("--api-key must not be empty") }
    case "--import-path":
        let path = value(for: name, inline: inline)
        guard path.hasPrefix("/") else { fail("--import-path must be absolute: \(path)") }
        config.importPaths.append(path)
    case "--latency-ms": config.latencyMs = Int(number(value(for: name, inline: inline), name, as: UInt32.self))
    case "--scan-duration-ms": config.scanDurationMs = Int(number(value(for: name, inline: inline), name, as: UInt32.self))
    case "--fail-rate": config.failRate = rate(value(for: name, inline: inline), name)
    case "--drop-rate": config.dropRate = rate(value(for: name, inline: inline), name)
    case "--seed": config.seed = number(value(for: name, inline: inline), name, as: UInt64.self)
    case "--auto-link-live": config.autoLinkLivePhotos = true
    case "--exit-on-stdin-eof": exitOnStdinEOF = true
    case "--verbose", "-v": verbose = true
    case "--icloud": withICloud = true
    case "--icloud-photos": icloudConfig.library.count = Int(number(value(for: name, inline: inline), name, as: UInt32.self))
    case "--icloud-latency-ms": icloudConfig.latencyMs = Int(number(value(for: name, inline: inline), name, as: UInt32.self))
    case "--icloud-size-scale": icloudConfig.library.sizeScale = number(value(for: name, inline: inline), name, as: Double.self)
    case "--icloud-no-2fa": icloudConfig.accounts[0].twoFactor = false
    default: fail("unknown option \(argument)")
    }
}

let immich = SandboxImmich(config: config)
if verbose {
    immich.setRequestLogger { line in
        FileHandle.standardError.write(Data("photos-sandbox: \(line)\n".utf8))
    }
}
do {
    try immich.start(port: port)
} catch {
    FileHandle.standardError.write(Data("photos-sandbox: cannot start: \(error)\n".utf8))
    exit(1)
}

let icloud = withICloud ? SandboxICloud(config: icloudConfig) : nil
do {
    try icloud?.start()
} catch {
    FileHandle.standardError.write(Data("photos-sandbox: cannot start the fake iCloud: \(error)\n".utf8))
    exit(1)
}

var announcement: [String: Any] = [
    "immich": immich.baseURL, "apiKey": immich.apiKey, "libraryId": immich.libraryId,
    "userId": immich.userId, "importPaths": config.importPaths,
]
if let icloud {
    let demo = icloudConfig
    announcement["icloud"] = [
        "url": icloud.baseURL, "environment": icloud.endpointEnvironment,
        "username": demo.accounts[0].username, "password": demo.accounts[0].password, "code": demo.validCode,
    ] as [String: Any]
}
if let line = try? JSONSerialization.data(withJSONObject: announcement, options: [.sortedKeys, .withoutEscapingSlashes]) {
    FileHandle.standardOutput.write(line + Data("\n".utf8))
}

let finished = DispatchSemaphore(value: 0)
// Handled through Dispatch rather than a C handler; the sources must live for the whole run.
signal(SIGINT, SIG_IGN)
signal(SIGTERM, SIG_IGN)
let signalSources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler { finished.signal() }
    source.resume()
    return source
}
if exitOnStdinEOF {
    Thread.detachNewThread {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while read(STDIN_FILENO, &buffer, buffer.count) > 0 {}
        finished.signal()
    }
}
finished.wait()
immich.stop()
icloud?.stop()
withExtendedLifetime(signalSources) {}
exit(0)
