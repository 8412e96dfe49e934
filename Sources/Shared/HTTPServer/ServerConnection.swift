#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// One accepted connection as the request reader and the response writer see it: plain bytes
/// on the socket, or the same bytes through TLS. Used by one connection thread only.
protocol ServerConnection: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 at the end of the stream or on any error.
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int
    /// Writes all of `bytes`; false when the peer is gone.
    func send(_ bytes: UnsafeRawBufferPointer) -> Bool
    /// Ends the conversation before the socket is closed; `orderly` is false when the server
    /// drops it (stop, injected faults), which a TLS peer then sees as a truncation.
    func finish(orderly: Bool)
}

final class PlainConnection: ServerConnection {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count >= 0 { return count }
            if errno != EINTR { return 0 }
        }
    }

    func send(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    func finish(orderly: Bool) {}
}
