import Foundation

/// Reads HTTP/1.1 requests off a socket: request line, headers, and a body framed by
/// `Content-Length` or `Transfer-Encoding: chunked`.
struct HTTPRequestReader {
    enum Outcome {
        case request(HTTPServerRequest, keepAlive: Bool)
        /// The peer closed cleanly between requests.
        case closed
        /// Malformed or truncated input; answer 400 if possible, then close.
        case malformed(String)
    }

    static let maxHeaderCount = 200
    static let maxBodyBytes = 512 * 1024 * 1024

    let reader: SocketReader

    func next() -> Outcome {
        if reader.atEndOfStream() { return .closed }
        // Tolerate stray blank lines between pipelined requests (RFC 9112 §2.2).
        var requestLine = ""
        repeat {
            guard let line = reader.readLine() else { return .closed }
            requestLine = line
        } while requestLine.isEmpty

        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else {
            return .malformed("bad request line")
        }
        let method = String(parts[0])
        let (path, rawQuery) = HTTPServerRequest.splitTarget(String(parts[1]))
        let isHTTP10 = parts[2] == "HTTP/1.0"

        var headers = HTTPServerHeaders()
        while true {
            guard let line = reader.readLine() else { return .malformed("truncated headers") }
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { return .malformed("bad header line") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.add(name, value)
            if headers.fields.count > Self.maxHeaderCount { return .malformed("too many headers") }
        }

        let body: Data
        if let encoding = headers["Transfer-Encoding"], encoding.lowercased().contains("chunked") {
            guard let chunked = readChunkedBody() else { return .malformed("bad chunked body") }
            body = chunked
        } else if let lengthText = headers["Content-Length"] {
            guard let length = Int(lengthText), length >= 0, length <= Self.maxBodyBytes else {
                return .malformed("bad Content-Length")
            }
            guard let data = reader.readBytes(length) else { return .malformed("truncated body") }
            body = data
        } else {
            body = Data()
        }

        let connection = headers["Connection"]?.lowercased() ?? ""
        let keepAlive = isHTTP10 ? connection.contains("keep-alive") : !connection.contains("close")
        return .request(HTTPServerRequest(method: method, path: path, rawQuery: rawQuery, headers: headers, body: body),
                        keepAlive: keepAlive)
    }

    private func readChunkedBody() -> Data? {
        var body = Data()
        while true {
            guard let sizeLine = reader.readLine() else { return nil }
            let sizeText = sizeLine.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { return nil }
            if size == 0 { break }
            guard body.count + size <= Self.maxBodyBytes, let chunk = reader.readBytes(size) else { return nil }
            body.append(chunk)
            guard let terminator = reader.readLine(), terminator.isEmpty else { return nil }
        }
        // Trailer fields, ignored, up to the blank line.
        while true {
            guard let line = reader.readLine() else { return nil }
            if line.isEmpty { return body }
        }
    }
}
