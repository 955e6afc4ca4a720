#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PAGIServer

/// Server log lines written by the CLI's process layer (master, signals, listener discovery), in the
/// same form and with the same filters as the server's own log (`--log-level`, `--quiet`).
struct ProcessLog: Sendable {
    var level: PAGIServerLogLevel
    var quiet: Bool

    func callAsFunction(_ level: PAGIServerLogLevel, _ message: String) {
        if self.quiet ? level != .error : level < self.level { return }
        var bytes = Array(message.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
