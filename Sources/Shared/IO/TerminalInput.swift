#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// Asking the person at the keyboard: a secret without echo on the controlling terminal, or
/// a line from stdin (a terminal or a pipe).
/// The terminal settings to put back if the user interrupts a no-echo prompt (read by the
/// SIGINT handler, which cannot capture context).
nonisolated(unsafe) private var echoRestore: (fd: Int32, settings: termios)?

public enum TerminalInput {
    public static var stdinIsTerminal: Bool { isatty(0) == 1 }

    /// Reads a secret from /dev/tty with echo off; nil when there is no controlling terminal.
    /// The terminal's settings are restored before returning.
    public static func readSecret(prompt: String) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        quiet.c_lflag |= tcflag_t(ECHONL)
        writeAll(fd, prompt)
        // Ctrl-C while echo is off must not leave the user's shell without echo.
        echoRestore = (fd, saved)
        let previous = signal(SIGINT) { _ in
            if var restore = echoRestore { _ = tcsetattr(restore.fd, TCSAFLUSH, &restore.settings) }
            _exit(130)
        }
        guard tcsetattr(fd, TCSAFLUSH, &quiet) == 0 else { return nil }
        defer {
            _ = tcsetattr(fd, TCSAFLUSH, &saved)
            signal(SIGINT, previous)
            echoRestore = nil
        }
        return readLine(fd: fd)
    }

    /// Prints `prompt` on stdout and reads one line from stdin; nil at end of input.
    public static func readLine(prompt: String) -> String? {
        writeAll(1, prompt)
        let line = readLine(fd: 0)
        // Piped input is not echoed: end the prompt's line so the next log line starts clean.
        if !stdinIsTerminal { writeAll(1, "\n") }
        return line
    }

    /// Byte by byte, so nothing after the newline is consumed (a later prompt reads it).
    static func readLine(fd: Int32) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = read(fd, &byte, 1)
            if count == 1 {
                if byte == 0x0A { break }
                bytes.append(byte)
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                if bytes.isEmpty { return nil }
                break
            }
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func writeAll(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written > 0 { offset += written } else if written < 0 && errno == EINTR { continue } else { return }
        }
    }
}
