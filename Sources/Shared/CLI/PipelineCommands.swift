/// The seven commands a user runs, by name: the thin mains, the multi-call `photos-pipeline`
/// binary that the release build installs under every name, and the man pages use this list.
/// (`photos-sandbox`, the fake servers, is its own binary and never linked with these.)
public enum PipelineCommands {
    public struct Command: Sendable {
        public let spec: CommandSpec
        public let main: @Sendable ([String]) async -> Int32
    }

    public static let all: [Command] = [
        Command(spec: ICloudPDCommand.spec) { await ICloudPDCommand.main($0) },
        Command(spec: ImmichBatchCommand.spec) { await CommandMain.run(ImmichBatchCommand.spec, arguments: $0) { try await ImmichBatchCommand.run($0) } },
        Command(spec: ImmichScanCommand.spec) { await CommandMain.run(ImmichScanCommand.spec, arguments: $0) { try await ImmichScanCommand.run($0) } },
        Command(spec: ImmichStackCommand.spec) { await CommandMain.run(ImmichStackCommand.spec, arguments: $0) { try await ImmichStackCommand.run($0) } },
        Command(spec: ImmichFavCommand.spec) { await CommandMain.run(ImmichFavCommand.spec, arguments: $0) { try await ImmichFavCommand.run($0) } },
        Command(spec: ImmichAlbumCommand.spec) { await CommandMain.run(ImmichAlbumCommand.spec, arguments: $0) { try await ImmichAlbumCommand.run($0) } },
        Command(spec: ImmichTrashCommand.spec) { await CommandMain.run(ImmichTrashCommand.spec, arguments: $0) { try await ImmichTrashCommand.run($0) } },
    ]

    public static func named(_ name: String) -> Command? { all.first { $0.spec.name == name } }
}
