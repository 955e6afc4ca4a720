#if canImport(Glibc)
import Glibc
#endif

/// The sending side of sd_notify: `READY=1` once the listeners accept, `STOPPING=1` when shutdown
/// starts, to the datagram socket named by `NOTIFY_SOCKET` (systemd `Type=notify`, and
/// `start_server --wait-ready`). Without the variable every call does nothing.
struct SystemdNotifier: Sendable {
    /// The socket path (`@name` for an abstract socket), or `nil` when not under a notifying supervisor.
    let path: String?

    /// Reads `NOTIFY_SOCKET` from the process environment.
    init() {
        self.path = getenv("NOTIFY_SOCKET").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Sends `READY=1` with this process's pid.
    func ready() { self.send("READY=1\nMAINPID=\(getpid())") }

    /// Sends `STOPPING=1`.
    func stopping() { self.send("STOPPING=1") }

    /// Sends one datagram; failures are ignored (a supervisor that went away needs no notification).
    func send(_ message: String) {
        guard let path = self.path else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
        let payload = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                payload.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
            }
        }
    }
}
