import Shared

/// The one way tests and scripts stand up a fake Immich: a started server whose default
/// external library imports `importPath`.
extension SandboxImmich {
    public static func started(importPath: String, version: String = "2.5.6", scanDurationMs: Int = 20, tls: TLSIdentity? = nil,
                               configure: (inout Config) -> Void = { _ in }) throws -> SandboxImmich {
        var config = Config()
        config.version = version
        config.importPaths = [importPath]
        config.scanDurationMs = scanDurationMs
        configure(&config)
        let immich = SandboxImmich(config: config)
        try immich.start(tls: tls)
        return immich
    }
}
