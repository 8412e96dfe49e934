import Foundation

/// Buffered reads from one connection (plain or TLS): lines for the head, exact byte counts for
/// bodies. Used by exactly one connection thread, so it needs no locking.
final class SocketReader {
    private let connection: any ServerConnection
    private var buffer: [UInt8] = []
    private var start = 0
    /// Upper bound for a request line, a header line or a chunk-size line.
    static let maxLineLength = 64 * 1024

    init(connection: any ServerConnection) { self.connection = connection }

    private var available: Int { buffer.count - start }

    /// Reads more bytes; false on end of stream or error (client went away).
    private func fill() -> Bool {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 64 * 1024 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { connection.receive(into: $0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// True when the peer has closed before sending anything more (clean end of keep-alive).
    func atEndOfStream() -> Bool {
        available == 0 && !fill()
    }

    /// One line without its CRLF (a bare LF is tolerated); nil if the stream ends or the line is too long.
    func readLine() -> String? {
        var scanned = start
        while true {
            while scanned < buffer.count {
                if buffer[scanned] == UInt8(ascii: "\n") {
                    var end = scanned
                    if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    let line = String(decoding: buffer[start..<end], as: UTF8.self)
                    start = scanned + 1
                    return line
                }
                scanned += 1
            }
            if buffer.count - start > Self.maxLineLength { return nil }
            let offset = scanned - start
            guard fill() else { return nil }
            scanned = start + offset
        }
    }

    /// Exactly `count` bytes, or nil if the stream ends first.
    func readBytes(_ count: Int) -> Data? {
        while available < count {
            guard fill() else { return nil }
        }
        let data = Data(buffer[start..<(start + count)])
        start += count
        return data
    }
}
