#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A datagram socket speaking the receiving side of systemd's sd_notify protocol for one child.
///
/// Each spawned child gets its own socket (its path goes into `NOTIFY_SOCKET`), so a message identifies its
/// sender without `SO_PASSCRED` credentials. Only `READY=1` is acted on; other variables are ignored.
public final class ReadinessNotifySocket {
    /// The socket path to export as `NOTIFY_SOCKET`.
    public let path: String
    /// The receiving descriptor (non-blocking, close-on-exec) to watch for readability.
    public let descriptor: Int32

    /// Binds a new socket at `path` (any existing file there is removed first).
    ///
    /// - Throws: ``PreforkSystemError`` if the path is too long for `sockaddr_un` or cannot be bound.
    public init(path: String) throws(PreforkSystemError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard bytes.count < capacity else {
            throw PreforkSystemError(operation: "bind notify socket", subject: path, errnoValue: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let descriptor = try pagiSyscall("socket", "notify socket \(path)") {
            socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        }
        unlink(path)
        do {
            try pagiSyscall("bind", path) {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
                }
            }
        } catch {
            Glibc.close(descriptor)
            throw error
        }
        self.path = path
        self.descriptor = descriptor
    }

    /// Reads every pending datagram and reports whether any of them carried `READY=1`.
    public func receivedReady() -> Bool {
        var ready = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                if Self.containsReady(buffer[0..<count]) { ready = true }
                continue
            }
            if count == -1 && errno == EINTR { continue }
            return ready
        }
    }

    /// Whether a notify datagram has a `READY=1` line (assignments are newline-separated).
    static func containsReady(_ datagram: ArraySlice<UInt8>) -> Bool {
        datagram.split(separator: UInt8(ascii: "\n")).contains { Array($0) == Array("READY=1".utf8) }
    }

    /// Closes the socket and removes its path.
    public func close() {
        Glibc.close(self.descriptor)
        unlink(self.path)
    }
}

@available(*, unavailable)
extension ReadinessNotifySocket: Sendable {}
