import Foundation
import Synchronization

/// `--mfa-provider webui` / `--password-provider webui`: a small page on the shared HTTP server
/// with icloudpd's routes. The sign-in blocks in `code(prompt:)` / `password()` until the page
/// posts an answer; a wrong code makes it ask again, with the reason on the page.
///
///     GET /          the status page (plain HTML forms, no script)
///     GET /status    the status JSON (the status file's, plus what is awaited)
///     POST /code     form field `code`
///     POST /password form field `password`
///     POST /resume   end the watch wait now
///     POST /cancel   stop the current iteration
public final class WebUI: Sendable {
    public enum Awaited: String, Sendable { case code, password }

    struct State: Sendable {
        var awaited: Awaited?
        var code: String?
        var password: String?
        /// A code was handed to the sign-in and it asks again: that code was refused.
        var codeDelivered = false
        var message: String?
        var cancelled = false
    }

    private let state = Mutex(State())
    private let condition = NSCondition()
    let watch: WatchState
    let username: String
    private let server: HTTPServer
    /// Called on POST /cancel (the loop cancels its iteration task).
    let onCancel = Mutex<(@Sendable () -> Void)?>(nil)

    public init(watch: WatchState, username: String) {
        self.watch = watch
        self.username = username
        let box = Mutex<WebUI?>(nil)
        server = HTTPServer(tls: nil) { request in box.withLock { $0 }?.handle(request) }
        box.withLock { $0 = self }
    }

    /// Starts listening on `HOST:PORT` (port 0: any free one); returns the page's URL.
    public func start(listen: String) throws(ToolError) -> String {
        let (host, port) = try Self.parse(listen)
        Log.info("Starting web server for WebUI authentication...")
        do { try server.start(host: host, port: port) } catch {
            throw ToolError.runtime("cannot serve the web page on \(listen): \(error)")
        }
        let shown = host.contains(":") ? "[\(host)]" : host
        let url = "http://\(shown):\(server.port)/"
        Log.info("Web page: \(url)")
        return url
    }

    public func stop() { server.stop() }

    /// `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces).
    static func parse(_ listen: String) throws(ToolError) -> (String, UInt16) {
        guard let colon = listen.lastIndex(of: ":"), let port = UInt16(listen[listen.index(after: colon)...]) else {
            throw .usage("--webui-listen: expected HOST:PORT, got '\(listen)'")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    // MARK: the sign-in's side

    /// Blocks until the page posts a code (or the iteration is cancelled: nil).
    public func code() -> String? {
        let refused = state.withLock { s -> Bool in
            let refused = s.codeDelivered
            s.awaited = .code
            s.codeDelivered = false
            if refused { s.message = "That code was not accepted. Enter the newest code from your device." }
            return refused
        }
        if refused { Log.error("The two-factor code was not accepted; waiting for another one on the web page") }
        watch.waiting(for: "a two-factor code")
        watch.writeStatus()
        let answer = wait { s in
            guard let code = s.code else { return nil }
            s.code = nil
            s.codeDelivered = true
            return code
        }
        watch.waiting(for: nil)  // the code is being checked
        return answer
    }

    /// Blocks until the page posts a password; a password given earlier is reused until it is refused.
    public func password() -> String? {
        if let known = state.withLock({ $0.password }) { return known }
        watch.waiting(for: "the password")
        watch.writeStatus()
        state.withLock { $0.awaited = .password }
        let answer = wait { s in s.password }
        watch.waiting(for: nil)
        return answer
    }

    /// The password from the page was refused: ask again.
    public func passwordRefused() {
        state.withLock {
            $0.password = nil
            $0.message = "That password was not accepted."
        }
    }

    /// The sign-in got what it needed.
    public func signedIn() {
        state.withLock {
            $0.awaited = nil
            $0.codeDelivered = false
            $0.message = nil
        }
        watch.waiting(for: nil)
    }

    /// Starts a new iteration: a cancel from before no longer applies.
    public func iterationStarted() { state.withLock { $0.cancelled = false } }

    public var wasCancelled: Bool { state.withLock { $0.cancelled } }

    private func wait(_ take: (inout State) -> String?) -> String? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let (value, cancelled) = state.withLock { s -> (String?, Bool) in
                if s.cancelled { s.awaited = nil; return (nil, true) }
                guard let value = take(&s) else { return (nil, false) }
                s.awaited = nil
                return (value, false)
            }
            if let value { return value }
            if cancelled { return nil }
            _ = condition.wait(until: Date().addingTimeInterval(1))
        }
    }

    private func wake() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    // MARK: the page's side

    func handle(_ request: HTTPServerRequest) -> HTTPServerResponse {
        switch (request.method, request.path) {
        case ("GET", "/"): return html(page())
        case ("GET", "/status"): return .json(status: 200, data: Data(statusJSON.serializedBytes))
        case ("POST", "/code"):
            let code = form(request)["code"]?.filter { !$0.isWhitespace } ?? ""
            guard !code.isEmpty else { return redirect(message: "Enter the code.") }
            state.withLock {
                $0.code = code
                $0.message = nil
            }
            wake()
            return redirect()
        case ("POST", "/password"):
            let password = form(request)["password"] ?? ""
            guard !password.isEmpty else { return redirect(message: "Enter the password.") }
            Log.shared.redact(password)
            state.withLock {
                $0.password = password
                $0.message = nil
            }
            wake()
            return redirect()
        case ("POST", "/resume"):
            Log.info("Resumed from the web page")
            watch.resume()
            return redirect()
        case ("POST", "/cancel"):
            state.withLock { $0.cancelled = true }
            wake()
            if let cancel = onCancel.withLock({ $0 }) { cancel() }
            return redirect()
        default:
            return .text(status: 404, "Not Found")
        }
    }

    /// The status file's JSON plus what the process waits for and the page's message.
    var statusJSON: JSON {
        var object = watch.json.objectValue ?? JSONObject()
        let s = state.withLock { $0 }
        object["awaiting"] = s.awaited.map { .string($0.rawValue) } ?? .null
        object["message"] = s.message.map { .string($0) } ?? .null
        object["username"] = .string(username)
        return .object(object)
    }

    func form(_ request: HTTPServerRequest) -> [String: String] {
        QueryString.parse(String(decoding: request.body, as: UTF8.self))
    }

    func redirect(message: String? = nil) -> HTTPServerResponse {
        if let message { state.withLock { $0.message = message } }
        var response = HTTPServerResponse(status: 303)
        response.headers.add("Location", "/")
        return response
    }

    func html(_ text: String) -> HTTPServerResponse {
        var response = HTTPServerResponse(status: 200, body: Data(text.utf8))
        response.headers.add("Content-Type", "text/html; charset=utf-8")
        response.headers.add("Cache-Control", "no-store")
        return response
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    func page() -> String {
        let status = statusJSON
        let s = state.withLock { $0 }
        var body = "<h1>icloudpd</h1>\n<p>Account: \(Self.escape(username))</p>\n"
        if let message = s.message { body += "<p class=\"message\" id=\"message\"><strong>\(Self.escape(message))</strong></p>\n" }
        switch s.awaited {
        case .code:
            body += """
                <p id="state">Waiting for the two-factor code sent to your devices.</p>
                <form method="post" action="/code"><label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" autofocus></label> <button type="submit">Send code</button></form>

                """
        case .password:
            body += """
                <p id="state">Waiting for the iCloud password.</p>
                <form method="post" action="/password"><label>Password <input name="password" type="password" autocomplete="current-password" autofocus></label> <button type="submit">Sign in</button></form>

                """
        case nil:
            body += "<p id=\"state\">\(status["waitingFor"]?.stringValue.map { "Waiting for \(Self.escape($0))." } ?? "Nothing to enter.")</p>\n"
        }
        func row(_ name: String, _ value: JSON?) -> String {
            let text: String
            switch value {
            case .string(let string)?: text = string
            case nil, .null?: text = "–"
            case let other?: text = other.serialized
            }
            return "<tr><th>\(name)</th><td>\(Self.escape(text))</td></tr>"
        }
        body += "<table>\n"
        body += row("Last start", status["lastStart"]) + row("Last end", status["lastEnd"]) + row("Outcome", status["outcome"])
        body += row("Downloaded", status["counts"]?["downloaded"]) + row("Registered", status["counts"]?["registered"])
        body += row("Errors", status["counts"]?["errors"]) + row("Pending", status["counts"]?["pending"])
        body += row("Last error", status["lastError"]) + row("Next start", status["nextStart"])
        body += "\n</table>\n"
        body += """
            <form method="post" action="/resume"><button type="submit">Run now</button></form>
            <form method="post" action="/cancel"><button type="submit">Cancel this iteration</button></form>
            <p><a href="/status">Status as JSON</a> · <a href="/">Refresh</a></p>

            """
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>icloudpd</title>
            <style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}th{text-align:left;padding-right:1em}form{margin:1em 0}.message{color:#a00}</style>
            </head><body>
            \(body)</body></html>

            """
    }
}
