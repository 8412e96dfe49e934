import Shared

/// photos-sandbox's option table. Each default is the fake servers' own (`SandboxImmich.Config`,
/// `SandboxICloud.Config`), so `--help` shows what a run without the option gets.
public enum SandboxOptions {
    static let immichDefaults = SandboxImmich.Config()
    static let icloudDefaults = SandboxICloud.Config()

    static let port = Option<UInt16>("port", valueName: "N", help: "Port to listen on; 0 picks a free one.", default: 0)
    static let immichVersion = Option<String>(
        "immich-version", valueName: "V", help: "Simulated Immich version, major.minor.patch.", default: immichDefaults.version
    ) { text, name throws(ToolError) in
        guard ImmichVersion(text) != nil else { throw .usage("invalid --\(name) '\(text)' (expected major.minor.patch)") }
        return text.hasPrefix("v") ? String(text.dropFirst()) : text
    }
    static let apiKey = Option<String>(
        "api-key", valueName: "KEY", help: "API key of the admin user who owns the library.", default: immichDefaults.apiKey
    ) { text, name throws(ToolError) in
        guard !text.isEmpty else { throw .usage("--\(name) must not be empty") }
        return text
    }
    static let importPath = Option<[String]>(
        "import-path", valueName: "DIR", help: "Import path of the default external library (absolute).", completion: .directory
    ) { text, name throws(ToolError) in
        guard text.hasPrefix("/") else { throw .usage("--\(name) must be absolute: \(text)") }
        return text
    }
    static let latencyMs = Option<UInt32>(
        "latency-ms", valueName: "N", help: "Delay added before every /api response.", default: UInt32(immichDefaults.latencyMs))
    static let scanDurationMs = Option<UInt32>(
        "scan-duration-ms", valueName: "N", help: "Time a library scan takes before inserting assets.", default: UInt32(immichDefaults.scanDurationMs))
    static let failRate = Option<Double>(
        "fail-rate", valueName: "F", help: "Fraction (0…1) of /api requests answered 500/502/503.", default: immichDefaults.failRate, parse: fraction)
    static let dropRate = Option<Double>(
        "drop-rate", valueName: "F", help: "Fraction (0…1) of /api requests dropped without an answer.", default: immichDefaults.dropRate, parse: fraction)
    static let seed = Option<UInt64>("seed", valueName: "N", help: "Seed of the fault injection.", default: immichDefaults.seed)
    static let autoLinkLive = Flag("auto-link-live", help: "Link .MOV files to same-named images after scans, as metadata extraction does.")
    static let icloud = Flag(
        "icloud", help: "Also run the fake iCloud (sign-in, CloudKit, downloads); its URLs, environment and demo Apple ID go into the JSON line.")
    static let icloudPhotos = Option<UInt32>(
        "icloud-photos", valueName: "N", help: "Photos in the fake iCloud library.", default: UInt32(icloudDefaults.library.count))
    static let icloudLatencyMs = Option<UInt32>(
        "icloud-latency-ms", valueName: "N", help: "Delay added before every fake iCloud answer.", default: UInt32(icloudDefaults.latencyMs))
    static let icloudSizeScale = Option<Double>(
        "icloud-size-scale", valueName: "F", help: "Multiply the fake library's file sizes.", default: icloudDefaults.library.sizeScale)
    static let icloudNo2FA = Flag("icloud-no-2fa", help: "The demo Apple ID signs in without a second factor.")
    static let tlsCertOut = PlainOption<String?>(
        "tls-cert-out", valueName: "PATH",
        help: "Serve HTTPS with a fresh self-signed certificate for 127.0.0.1 and localhost, valid for a day; write its PEM to PATH for clients to trust.",
        completion: .file)
    static let exitOnStdinEOF = Flag("exit-on-stdin-eof", help: "Stop when standard input closes.")
    static let verbose = Flag("verbose", short: "v", help: "Log one line per request to stderr.")

    static let all: [any OptionDeclaration] = [
        port, immichVersion, apiKey, importPath, latencyMs, scanDurationMs, failRate, dropRate, seed, autoLinkLive, icloud,
        icloudPhotos, icloudLatencyMs, icloudSizeScale, icloudNo2FA, tlsCertOut, exitOnStdinEOF, verbose,
    ]

    /// A number from 0 to 1.
    @Sendable static func fraction(_ text: String, _ name: String) throws(ToolError) -> Double {
        let value = try Double.parse(text, option: name)
        guard (0...1).contains(value) else { throw .usage("--\(name) must be between 0 and 1") }
        return value
    }
}
