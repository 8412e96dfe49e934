// swift-tools-version:6.0
// The iCloud Photos → Immich toolkit. No package dependencies by design: Foundation,
// Dispatch, the test libraries and system C libraries through module maps only.
import PackageDescription

let commands = ["icloudpd", "immich-batch", "immich-scan", "immich-stack", "immich-fav", "immich-album", "immich-trash"]

let package = Package(
    name: "photos-pipeline",
    products: commands.map { .executable(name: $0, targets: [$0]) } + [
        .executable(name: "photos-sandbox", targets: ["photos-sandbox"]),
        // The release build's single binary for the seven commands (scripts/install.sh).
        .executable(name: "photos-pipeline", targets: ["photos-pipeline"]),
    ],
    targets: [
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // The sandbox's HTTPS (and a later HTTPS web page): TLS and X.509 certificates.
        .systemLibrary(
            name: "CSSL",
            pkgConfig: "libssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Raw inflate of `adjustmentSimpleDataEnc` (XMP tiff:Orientation); the sandbox deflates.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // HTTP for every request (URLSession on Linux stalls bodies; see HTTP/HTTPClient.swift).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // prctl(PR_SET_PDEATHSIG) for the children of icloudpd --plugin (variadic in C).
        .systemLibrary(name: "CProcessControl"),
        // The commit for --version, set by scripts/install.sh through a C macro (empty otherwise).
        .systemLibrary(name: "CBuildInfo"),
        .target(name: "Shared", dependencies: ["CCrypto", "CCurl", "CSSL", "CSQLite", "CZlib", "CProcessControl", "CBuildInfo"]),
        .target(name: "Sandbox", dependencies: ["Shared", "CZlib"]),
        .executableTarget(name: "photos-sandbox", dependencies: ["Sandbox", "Shared"]),
        .executableTarget(name: "photos-pipeline", dependencies: ["Shared"]),
        .testTarget(name: "SharedTests", dependencies: ["Shared", "Sandbox"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "Shared"]),
        .testTarget(name: "CommandTests", dependencies: ["Shared", "Sandbox"]),
    ] + commands.map { .executableTarget(name: $0, dependencies: ["Shared"]) },
    swiftLanguageModes: [.v6]
)
