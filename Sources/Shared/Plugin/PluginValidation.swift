import Foundation

/// What `--plugin immich` checks before anything is downloaded: the server answers, the key
/// is accepted, the library exists, is external and the key's user owns it, the server can do
/// the steps asked for, and `--directory` (after `--immich-path-map`) is inside one of the
/// library's import paths, so a scan will find the files. Each failure is one error.
public enum PluginValidation {
    public static func check(_ settings: ImmichPluginSettings, directory: String?,
                             workingDirectory: String = FileManager.default.currentDirectoryPath) async throws(ToolError) -> ImmichSession {
        let session: ImmichSession
        do throws(ToolError) {
            let client = try await ImmichClient.connect(serverURL: settings.serverURL, apiKey: settings.apiKey,
                                                        http: HTTPClient(caFile: settings.caFile))
            session = try await client.openLibrary(id: settings.libraryId)
            if settings.stack != nil, !client.capabilities.stacksAPI {
                throw ToolError.runtime("Immich \(client.version) has no stacks API: --immich-stack-media needs v1.113 or newer")
            }
            if settings.liveLinks != nil, client.capabilities.liveLinkField == nil {
                throw ToolError.runtime("Immich \(client.version) cannot link live videos by request: --associate-live-with-extra-sizes needs v1.115 or newer")
            }
        } catch {
            throw ourNames(error)
        }
        Log.info("Immich \(session.client.version) at \(HTTPError.redactedURL(session.client.baseURL)): library '\(session.library.name)', import paths \(session.library.importPaths.joined(separator: ", "))")
        if let directory {
            let result = DirectoryCheck(directory: directory, importPaths: session.library.importPaths,
                                        mapping: PathMapping(rules: try pathRules(settings)), workingDirectory: workingDirectory)
            guard result.isValid else { throw ToolError.runtime(result.failureMessage) }
            Log.info(result.line)
            Log.info("Directory validation: OK (1 directory validated)")
        }
        return session
    }

    static func pathRules(_ settings: ImmichPluginSettings) throws(ToolError) -> [(local: String, server: String)] {
        try PathMapping(arguments: settings.pathMap).rules
    }

    /// The shared client names the steps' options; the user gave ours.
    static func ourNames(_ error: ToolError) -> ToolError {
        var message = error.message
        for name in ["server-url", "api-key", "library-id", "path-map", "ca-file"] {
            message = message.replacingOccurrences(of: " --\(name)", with: " --immich-\(name)")
        }
        return ToolError(error.code, message, hint: error.hint, transient: error.transient)
    }
}
