#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CSSL

/// The server side of TLS for one identity: an SSL_CTX (TLS 1.2 and up) that every connection
/// thread makes its SSL object from.
final class TLSServerContext: @unchecked Sendable {
    // @unchecked: the SSL_CTX is only configured here; SSL_new on it is thread-safe.
    private let context: OpaquePointer

    init(identity: TLSIdentity) throws {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw TLSError.openSSL("SSL_CTX_new") }
        self.context = context
        guard cssl_ctx_set_min_tls12(context) == 1,
              SSL_CTX_use_certificate(context, identity.certificate) == 1,
              SSL_CTX_use_PrivateKey(context, identity.key) == 1,
              SSL_CTX_check_private_key(context) == 1 else { throw TLSError.openSSL("TLS server setup") }
    }

    deinit { SSL_CTX_free(context) }

    /// Longest wait for a client's handshake, so that a silent or stalled peer cannot hold a
    /// thread forever (stop() also ends the wait).
    static let handshakeTimeout = 10

    /// Runs the server handshake on `fd` (on the connection's own thread). Nil when it fails:
    /// the peer does not trust the certificate, speaks plain HTTP (answered 400 first), stalls
    /// or goes away. The caller still owns and closes `fd`.
    func accept(_ fd: Int32) -> TLSConnection? {
        Self.setTimeout(fd, seconds: Self.handshakeTimeout)
        // A TLS client opens with a handshake record (content type 22); anything else is most
        // likely a plain HTTP client, which gets an answer it can show instead of a reset.
        var first: UInt8 = 0
        let peeked = recv(fd, &first, 1, Int32(MSG_PEEK))
        guard peeked == 1 else { return nil }
        guard first == 22 else {
            Self.refusePlainHTTP(fd)
            return nil
        }
        ERR_clear_error()
        guard let ssl = SSL_new(context) else { return nil }
        guard SSL_set_fd(ssl, fd) == 1, SSL_accept(ssl) == 1 else {
            ERR_clear_error()
            SSL_free(ssl)
            return nil
        }
        Self.setTimeout(fd, seconds: 0)  // keep-alive waits as long as on plain HTTP
        return TLSConnection(ssl: ssl)
    }

    private static func setTimeout(_ fd: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            setsockopt(fd, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    private static func refusePlainHTTP(_ fd: Int32) {
        let body = "This server speaks HTTPS.\n"
        let answer = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = Array(answer.utf8).withUnsafeBytes { PlainConnection(fd: fd).send($0) }
        // Read what the client sent before closing: closing with unread bytes sends a reset,
        // which can destroy the answer before the client reads it.
        shutdown(fd, Int32(SHUT_WR))
        setTimeout(fd, seconds: 1)
        var scratch = [UInt8](repeating: 0, count: 4096)
        while scratch.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }) > 0 {}
    }
}

/// A connection after a successful TLS handshake; reads and writes go through SSL_read/SSL_write.
final class TLSConnection: ServerConnection {
    private let ssl: OpaquePointer

    fileprivate init(ssl: OpaquePointer) { self.ssl = ssl }

    deinit { SSL_free(ssl) }

    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let count = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
            if count > 0 { return Int(count) }
            if retryable(count) { continue }
            ERR_clear_error()
            return 0
        }
    }

    func send(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            // SSL_write takes an Int32 length; blocking, it writes the whole slice or fails.
            let slice = min(bytes.count - offset, 1 << 20)
            let sent = SSL_write(ssl, bytes.baseAddress! + offset, Int32(slice))
            if sent > 0 {
                offset += Int(sent)
            } else if !retryable(sent) {
                ERR_clear_error()
                return false
            }
        }
        return true
    }

    /// Sends close_notify (without waiting for the peer's) when the server ends the
    /// conversation itself; a dropped connection just stops, as a lost one would.
    func finish(orderly: Bool) {
        if orderly { _ = SSL_shutdown(ssl) }
        ERR_clear_error()
    }

    private func retryable(_ result: Int32) -> Bool {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return true
        case SSL_ERROR_SYSCALL: return errno == EINTR
        default: return false
        }
    }
}
